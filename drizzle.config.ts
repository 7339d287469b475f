import { defineConfig } from 'drizzle-kit';

/** For drizzle-kit commands run by hand (studio, introspection). `npm run codegen` passes the same paths itself. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './drizzle/schema.ts',
  out: './drizzle/migrations',
  dbCredentials: { url: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test' },
});
