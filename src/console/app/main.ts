// The web console's entry: bundled by esbuild into /console/app.js (src/api/console-bundle.ts).
import { html } from 'htm/preact';
import { render } from 'preact';
import { Console } from './console.js';

const root = document.getElementById('console');
if (root) render(html`<${Console} />`, root);
