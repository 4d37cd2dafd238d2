// GraphQL Code Generator: type-checks every operation in src/graphql/*.graphql against
// the server's schema (../schema.graphql, the contract) and generates typed documents.
// An operation that no longer matches the schema makes `npm run codegen` (and so
// `npm run build`) fail.
import type { CodegenConfig } from '@graphql-codegen/cli';

const clientConfig = {
  // Documents as plain strings: no GraphQL parser or printer in the bundle.
  documentMode: 'string',
  enumsAsTypes: true,
  useTypeImports: true,
  // Scalars the client does not know yet are `unknown` (handled before use),
  // so a new scalar elsewhere in the schema does not break the build.
  defaultScalarType: 'unknown',
  // BigInt arrives as a decimal string (exact beyond 2^53); see src/lib/bytes.ts.
  scalars: { DateTime: 'string', Upload: 'File', BigInt: 'string' },
  skipTypename: true,
  avoidOptionals: { field: true, inputValue: false, object: true },
};

const config: CodegenConfig = {
  schema: '../schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    // The dashboard: every operation, imported as `XxxDocument` from src/generated/graphql.ts.
    'src/generated/': {
      preset: 'client',
      documents: ['src/graphql/**/*.graphql'],
      presetConfig: { fragmentMasking: false },
      config: clientConfig,
    },
    // The embeddable widget: only its own public operations, so that its bundle does
    // not carry the dashboard's documents (they are not tree-shaken).
    'src/generated/widget/': {
      preset: 'client',
      documents: ['src/graphql/widget.graphql'],
      presetConfig: { fragmentMasking: false },
      config: clientConfig,
    },
    // The storefront's account pages (account.js), for the same reason.
    'src/generated/account/': {
      preset: 'client',
      documents: ['src/graphql/storefront-account.graphql'],
      presetConfig: { fragmentMasking: false },
      config: clientConfig,
    },
    // The storefront's cart, checkout and order pages (shop.js), for the same reason.
    'src/generated/shop/': {
      preset: 'client',
      documents: ['src/graphql/storefront-shop.graphql'],
      presetConfig: { fragmentMasking: false },
      config: clientConfig,
    },
  },
};

export default config;
