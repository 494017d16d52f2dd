import type { ReadModel } from '$lib/fcn';

/** The props of a view of a read model in which the reader picks a layer (GraphDag, LayerTable). */
export interface LayerPickProps {
	model: ReadModel;
	selected: string | null;
	onselect: (name: string) => void;
}
