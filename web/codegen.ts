// GraphQL Code Generator: type-checks every operation in src/graphql/*.graphql against
// the server's schema (../schema.graphql, the contract) and generates typed documents.
// An operation that no longer matches the schema makes `npm run codegen` (and so
// `npm run build`) fail.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/graphql/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'src/generated/': {
      preset: 'client',
      // Operations are imported as `XxxDocument` from src/generated/graphql.ts.
      presetConfig: { fragmentMasking: false },
      config: {
        // Documents as plain strings: no GraphQL parser or printer in the bundle.
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        // Scalars the client does not know yet are `unknown` (handled before use),
        // so a new scalar elsewhere in the schema does not break the build.
        defaultScalarType: 'unknown',
        scalars: { DateTime: 'string', Upload: 'File' },
        skipTypename: true,
        avoidOptionals: { field: true, inputValue: false, object: true },
      },
    },
  },
};

export default config;
