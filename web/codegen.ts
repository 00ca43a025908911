// TypeScript types from the server's schema (server/src/api/schema.graphql)
// and the operations in src/**/*.graphql. Runs without a
// server. Output: src/gql/ (committed; scripts/build-web.sh regenerates it
// when the schema or an operation changes).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../server/src/api/schema.graphql',
  documents: ['src/**/*.graphql'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      config: {
        // Documents as plain strings: no graphql-js parser in the bundle.
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: false },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
