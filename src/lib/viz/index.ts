/** Renderers: data → pixels (RGBA buffers for one putImageData each), the one palette, colour maths. No tfjs. */
export * from './rgba';
export * from './palette';
export * from './deltaE';
export * from './colormap';
export * from './grid';
export * from './featureMaps';
export * from './segmentation';
export * from './scores';
export * from './classOverlay';
export * from './canvas';
