/** Errors opening or migrating the database. Each has a stable code and a message IT can act on. */
export class DatabaseError extends Error {
  constructor(
    readonly code: 'DB_FROM_FUTURE' | 'DB_CORRUPT' | 'DB_MIGRATION_FAILED' | 'DB_MIGRATIONS_INVALID' | 'DB_DISK_FULL',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseError';
  }
}
