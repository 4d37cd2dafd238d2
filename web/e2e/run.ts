/**
 * Browser tests of the dashboard and the widgets against the real server (fresh
 * database per run), in Debian's Chromium driven by playwright-core. Run with
 * `npm run test:e2e` after `npm run build`. Environment: VITRIN_BIN (default
 * ../target/debug/vitrin), CHROMIUM (default /usr/bin/chromium), E2E_KEEP_DATA=1 to keep
 * the temporary data directory.
 *
 * Scenarios run in the order imported here and share the server; each opens its own
 * browser profile. Screenshots of every screen go to test-results/screenshots/.
 */
import './harness';
import './phase1';
import './media';
import './stats';
import './widget';
import './gallery';
import './catalog';
import './customers';
import './account';
import './shop';
import './reviews';
import './graphiql';
import './mailqueue';
import './restart';
