// Compose this API's subgraph (its `_service { sdl }`, fetched over HTTP) with a tiny
// second subgraph that extends Mission by slug, then run queries across both through
// @apollo/gateway. Prints one JSON object: {hints, results}; exits 1 on a
// composition error.
//
//   node federation.mjs http://127.0.0.1:PORT/graphql
import { composeServices } from '@apollo/composition';
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

const url = process.argv[2];
if (!url) {
  console.error('usage: node federation.mjs URL');
  process.exit(2);
}

// The second subgraph: notes on missions, by the key this API declares.
const notesTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Mission @key(fields: "slug") {
    slug: String!
    "A note kept by the notes subgraph."
    note: String!
  }

  type Query {
    "Missions the notes subgraph features (references only: the rest comes from spacerace)."
    featured: [Mission!]!
  }
`);
const notesSchema = buildSubgraphSchema({
  typeDefs: notesTypeDefs,
  resolvers: {
    Query: { featured: () => [{ slug: 'voskhod-2' }, { slug: 'apollo-11' }] },
    Mission: {
      __resolveReference: (reference) => ({ slug: reference.slug }),
      note: (mission) => `note on ${mission.slug}`,
    },
  },
});

const response = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
  body: JSON.stringify({ query: '{ _service { sdl } }' }),
});
const sdl = (await response.json()).data._service.sdl;

const composed = composeServices([
  { name: 'spacerace', typeDefs: parse(sdl), url },
  { name: 'notes', typeDefs: notesTypeDefs, url: 'http://notes.invalid/graphql' },
]);
if (composed.errors) {
  console.error(composed.errors.map((error) => error.message).join('\n'));
  process.exit(1);
}

const gateway = new ApolloGateway({
  supergraphSdl: composed.supergraphSdl,
  buildService: ({ name, url: subgraphUrl }) =>
    name === 'notes'
      ? new LocalGraphQLDataSource(notesSchema)
      : new RemoteGraphQLDataSource({ url: subgraphUrl }),
});
const server = new ApolloServer({ gateway });
await server.start();

const queries = [
  // Starts in spacerace, then asks notes for Mission.note by slug.
  '{ mission(slug: "voskhod-2") { name launchDate note crew { person { name } } } }',
  '{ missions(first: 3) { nodes { slug note } } }',
  // Starts in notes, then asks spacerace's _entities for the rest.
  '{ featured { slug name program { name } note } }',
];
const results = [];
for (const query of queries) {
  const answer = await server.executeOperation({ query });
  results.push(answer.body.singleResult);
}
await server.stop();
console.log(JSON.stringify({ hints: composed.hints.map((hint) => hint.toString()), results }));
