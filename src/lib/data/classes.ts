/**
 * The segmentation classes, in label order: 0 is the background, d + 1 is digit d (the scenes' label
 * map; the manifest's `classes`). The one place the class names are written.
 */
export const CLASS_NAMES: readonly string[] = ['background', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
