/** The pure geometry library of the explorer: no DOM, no tfjs. */
export * from './network';
export * from './nets';
export * from './errors';
export * from './shapes';
export * from './receptiveField';
export * from './coordMap';
export * from './cost';
export * from './analyze';
export * from './interval';
export * from './bilinear';
export * from './transposed';
export * from './fcToConv';
export * from './metrics';
export * from './report';
export * from './hwc';
export * from './padding';
export * from './scores';
