-- Mall turnover export over SFTP (issue 16): mall_export.sftp (JSONB, from 0009) holds host, port,
-- user, remote directory, how to log in and the pinned SHA256 of the server's host key; the password
-- or private key is sealed here with the server's SUANPAN_SECRET_KEY (AES-256-GCM,
-- cloud/domain/secrets.ts), never readable through the API and never logged.
ALTER TABLE mall_export ADD COLUMN sftp_secret BYTEA;
