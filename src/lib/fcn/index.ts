/** The pure geometry library of the explorer: no DOM, no tfjs. */
export * from './network';
export * from './nets';
export * from './errors';
export * from './shapes';
export * from './receptiveField';
export * from './coordMap';
export * from './cost';
export * from './analyze';
