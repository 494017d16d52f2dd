/**
 * The colour theme. Until the reader toggles, the page follows the system setting
 * (`prefers-color-scheme`) through CSS alone; a toggle stores the choice in localStorage under
 * {@link THEME_KEY} and sets `<html data-theme="light|dark">`. The inline script in src/app.html applies
 * a stored choice before first paint, so there is no flash; keep its key in sync with this file.
 */
export type ThemeName = 'light' | 'dark';

/** localStorage key of the reader's choice (also read by the inline script in src/app.html). */
export const THEME_KEY = 'fcn-theme';

function systemTheme(): ThemeName {
	return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function storedTheme(): ThemeName | undefined {
	try {
		const v = localStorage.getItem(THEME_KEY);
		return v === 'light' || v === 'dark' ? v : undefined;
	} catch {
		return undefined; // storage disabled: follow the system
	}
}

class Theme {
	/** The theme in effect; `light` during prerender (the CSS decides what is painted). */
	#current = $state<ThemeName>('light');
	/** Whether the reader chose it (true) or it follows the system (false). */
	#chosen = $state(false);

	get current(): ThemeName {
		return this.#current;
	}

	get chosen(): boolean {
		return this.#chosen;
	}

	/** Reads the stored choice or the system setting, and follows the system while nothing is stored. */
	start(): () => void {
		const stored = storedTheme();
		this.#chosen = stored !== undefined;
		this.#current = stored ?? systemTheme();
		const query = matchMedia('(prefers-color-scheme: dark)');
		const follow = () => {
			if (!this.#chosen) this.#current = systemTheme();
		};
		query.addEventListener('change', follow);
		return () => query.removeEventListener('change', follow);
	}

	/** Sets and remembers the theme. */
	set(theme: ThemeName): void {
		this.#current = theme;
		this.#chosen = true;
		document.documentElement.dataset.theme = theme;
		try {
			localStorage.setItem(THEME_KEY, theme);
		} catch {
			// storage disabled: the choice lasts for this page only
		}
	}

	toggle(): void {
		this.set(this.#current === 'dark' ? 'light' : 'dark');
	}
}

/** The one theme instance of the page. */
export const theme = new Theme();
