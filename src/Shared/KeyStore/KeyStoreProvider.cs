namespace Bff.Shared.KeyStore;

/// <summary>The database behind the key store.</summary>
public enum KeyStoreProvider { Sqlite, SqlServer, Postgres }
