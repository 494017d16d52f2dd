/** The network definition of a trained model (width and classes from the manifest when known). */
import { fcn, trainedOptions, vgg16, TRAINED } from '$lib/fcn/nets';
import type { Network } from '$lib/fcn/network';
import type { Manifest, ModelName } from '$lib/model/weights';

export function networkOf(name: ModelName, manifest?: Manifest | null): Network {
	const entry = manifest?.models[name];
	const width = entry?.width ?? TRAINED.width;
	if (name === 'classifier') return vgg16(trainedOptions({ width, classes: entry?.classes ?? TRAINED.digitClasses }));
	const classes = entry?.classes ?? manifest?.classes.length ?? TRAINED.segClasses;
	const variant = name.slice(3) as '32s' | '16s' | '8s';
	return fcn(variant, trainedOptions({ width, classes }));
}
