/** The dashboard's entry point. */
import { render } from 'preact';
import '../styles/main.css';
import { applyDocumentLanguage, language } from '../lib/i18n';
import { App } from './app';
import { route, startRouter } from './router';
import { installSessionHandling, loadSession, revalidateSession } from './session';

applyDocumentLanguage(language.get());
installSessionHandling();
startRouter();
// Moving between signed-in pages checks that the session still lives.
route.subscribe((r) => {
  if (r.def.auth === 'required' && r.seq > 0) void revalidateSession();
});
void loadSession();

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
