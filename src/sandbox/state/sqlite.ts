// Sandbox (Node). The SQLite typing and opener the app's store uses too (src/main/store/sqlite.ts).
export { openSqlite, type SqliteDatabase, type Statement } from '../../main/store/sqlite.js';
