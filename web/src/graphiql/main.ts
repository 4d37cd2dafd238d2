/**
 * GraphiQL, bundled from npm and served by the binary at /graphiql under the same
 * strict Content-Security-Policy as the dashboard: nothing is loaded from elsewhere.
 */
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { createVitrinFetcher } from './fetcher';

const DEFAULT_QUERY = `# Vitrin GraphQL API
#
# Signed in to the dashboard? Your
# session cookie is used here too.
# Scripts sign in with the login
# mutation and send its token in
# the Headers tab below:
#   {"Authorization": "Bearer …"}
# The book icon opens the docs.
#
# Panelde oturum açtıysanız çerez
# kullanılır; betikler login ile
# aldıkları anahtarı Headers
# sekmesine yazar.

query Overview {
  me {
    email
    role
  }
  stats {
    completedJobs
    happyCustomers
    satisfactionPercent
    yearsOfExperience
  }
}

# Live numbers over the websocket.
subscription LiveStats {
  statsUpdated {
    completedJobs
    visitCount
  }
}
`;

// Radix's scroll lock inserts <style> elements; they carry the page's nonce (read as a
// global by react-style-singleton) so the strict style-src can stay.
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;
if (nonce) (window as unknown as { __webpack_nonce__?: string }).__webpack_nonce__ = nonce;

const root = document.getElementById('graphiql');
if (root) {
  createRoot(root).render(
    createElement(GraphiQL, {
      fetcher: createVitrinFetcher(),
      defaultQuery: DEFAULT_QUERY,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    }),
  );
}
