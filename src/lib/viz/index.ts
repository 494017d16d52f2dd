/** Renderers: data → pixels (RGBA buffers for one putImageData each). No DOM, no tfjs. */
export * from './colormap';
export * from './featureMaps';
export * from './segmentation';
export * from './canvas';
