/**
 * A cell's state mirrored in the page's query, the one way every cell does it: read once on mount,
 * then written back (merged with the other cells' keys) whenever it changes, never before it was read.
 */
import { onMount } from 'svelte';
import { readQuery, writeQuery } from './browser';

/**
 * Call during a component's initialisation. On mount `load` gets the query (parse it with the cell's
 * specs and set the state from the result); from then on, whenever what `save` reads changes, the keys
 * it returns are written to the address bar (null deletes a key).
 */
export function mirrorQuery(
	load: (query: URLSearchParams) => void,
	save: () => Record<string, string | number | null>
): void {
	let ready = $state(false);
	onMount(() => {
		load(readQuery());
		ready = true;
	});
	$effect(() => {
		const values = save();
		if (ready) writeQuery(values);
	});
}
