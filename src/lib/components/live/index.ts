/** Live-inference components: they share a LiveSession (session.svelte.ts). */
export { default as DrawCanvas } from './DrawCanvas.svelte';
export { default as SegmentationView } from './SegmentationView.svelte';
export { default as FeatureMapGrid } from './FeatureMapGrid.svelte';
export { default as BackendBadge } from './BackendBadge.svelte';
export { default as WeightsStatus } from './WeightsStatus.svelte';
export { default as LayerStrip } from './LayerStrip.svelte';
export { default as ReceptiveFieldOverlay } from './ReceptiveFieldOverlay.svelte';
export { default as ReceptiveFieldNumbers } from './ReceptiveFieldNumbers.svelte';
export { LiveSession, setLiveSession, getLiveSession, type LiveOptions } from './session.svelte';
export { theoreticalBox, type FieldBox } from './rf';
