/** The site shell's components; lesson pages mostly need Cell and Tex. */
export { default as Cell } from './Cell.svelte';
export { default as Tex } from './Tex.svelte';
export { default as Toc } from './Toc.svelte';
export { default as PrevNext } from './PrevNext.svelte';
export { default as ThemeToggle } from './ThemeToggle.svelte';
export { theme, THEME_KEY, type ThemeName } from './theme.svelte';
export { lessonKey, presenterKey } from './keys';
export { presenter } from './presenter.svelte';
export { default as CopyLink } from './CopyLink.svelte';
export { whenVisible } from './when-visible';
