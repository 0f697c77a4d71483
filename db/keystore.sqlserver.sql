IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129094207_InitialCreate'
)
BEGIN
    CREATE TABLE [audit_log] (
        [Id] bigint NOT NULL IDENTITY,
        [At] datetime2 NOT NULL,
        [Actor] nvarchar(200) NOT NULL,
        [Action] nvarchar(100) NOT NULL,
        [Target] nvarchar(400) NOT NULL,
        [SourceIp] nvarchar(64) NULL,
        [Outcome] nvarchar(40) NOT NULL,
        [Details] nvarchar(4000) NULL,
        CONSTRAINT [PK_audit_log] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129094207_InitialCreate'
)
BEGIN
    CREATE TABLE [plans] (
        [Name] nvarchar(100) NOT NULL,
        [RateLimit] bigint NULL,
        [RatePeriod] time NULL,
        [QuotaLimit] bigint NULL,
        [QuotaPeriod] time NULL,
        [UpdatedAt] datetime2 NOT NULL,
        CONSTRAINT [PK_plans] PRIMARY KEY ([Name])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129094207_InitialCreate'
)
BEGIN
    CREATE TABLE [users] (
        [Id] nvarchar(40) NOT NULL,
        [Username] nvarchar(100) NOT NULL,
        [PasswordHash] nvarchar(400) NOT NULL,
        [Roles] nvarchar(1000) NOT NULL,
        [FailedLogins] int NOT NULL,
        [LockoutEnd] datetime2 NULL,
        [CreatedAt] datetime2 NOT NULL,
        [LastLoginAt] datetime2 NULL,
        [Disabled] bit NOT NULL,
        CONSTRAINT [PK_users] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129094207_InitialCreate'
)
BEGIN
    CREATE TABLE [clients] (
        [Id] nvarchar(40) NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [PlanName] nvarchar(100) NULL,
        [CreatedAt] datetime2 NOT NULL,
        [Disabled] bit NOT NULL,
        CONSTRAINT [PK_clients] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_clients_plans_PlanName] FOREIGN KEY ([PlanName]) REFERENCES [plans] ([Name]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129094207_InitialCreate'
)
BEGIN
    CREATE TABLE [api_keys] (
        [Id] nvarchar(40) NOT NULL,
        [ClientId] nvarchar(40) NOT NULL,
        [Environment] nvarchar(20) NOT NULL,
        [Hash] varbinary(32) NOT NULL,
        [Last4] nvarchar(4) NOT NULL,
        [Scopes] nvarchar(2000) NOT NULL,
        [Name] nvarchar(200) NULL,
        [CreatedAt] datetime2 NOT NULL,
        [ExpiresAt] datetime2 NULL,
        [RevokedAt] datetime2 NULL,
        [LastUsedAt] datetime2 NULL,
        [RotatedFromId] nvarchar(40) NULL,
        CONSTRAINT [PK_api_keys] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_api_keys_clients_ClientId] FOREIGN KEY ([ClientId]) REFERENCES [clients] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129094207_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_api_keys_ClientId] ON [api_keys] ([ClientId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129094207_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_audit_log_Actor] ON [audit_log] ([Actor]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129094207_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_audit_log_At] ON [audit_log] ([At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129094207_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_audit_log_Target] ON [audit_log] ([Target]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129094207_InitialCreate'
)
BEGIN
    CREATE UNIQUE INDEX [IX_clients_Name] ON [clients] ([Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129094207_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_clients_PlanName] ON [clients] ([PlanName]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129094207_InitialCreate'
)
BEGIN
    CREATE UNIQUE INDEX [IX_users_Username] ON [users] ([Username]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129094207_InitialCreate'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129094207_InitialCreate', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129100912_AddTokens'
)
BEGIN
    CREATE TABLE [refresh_tokens] (
        [Id] nvarchar(64) NOT NULL,
        [FamilyId] nvarchar(40) NOT NULL,
        [UserId] nvarchar(40) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [ExpiresAt] datetime2 NOT NULL,
        [UsedAt] datetime2 NULL,
        [ProtectedSuccessor] varbinary(200) NULL,
        [RevokedAt] datetime2 NULL,
        CONSTRAINT [PK_refresh_tokens] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129100912_AddTokens'
)
BEGIN
    CREATE TABLE [signing_keys] (
        [Id] nvarchar(64) NOT NULL,
        [Algorithm] nvarchar(10) NOT NULL,
        [PublicKey] varbinary(1000) NOT NULL,
        [ProtectedPrivateKey] varbinary(2000) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [RetiresAt] datetime2 NULL,
        CONSTRAINT [PK_signing_keys] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129100912_AddTokens'
)
BEGIN
    CREATE INDEX [IX_refresh_tokens_FamilyId] ON [refresh_tokens] ([FamilyId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129100912_AddTokens'
)
BEGIN
    CREATE INDEX [IX_refresh_tokens_UserId] ON [refresh_tokens] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129100912_AddTokens'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129100912_AddTokens', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204064309_AddUserClaims'
)
BEGIN
    ALTER TABLE [users] ADD [Claims] nvarchar(4000) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204064309_AddUserClaims'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204064309_AddUserClaims', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204210117_AddClientSecrets'
)
BEGIN
    CREATE TABLE [client_secrets] (
        [Id] nvarchar(40) NOT NULL,
        [ClientId] nvarchar(40) NOT NULL,
        [Hash] varbinary(32) NOT NULL,
        [Last4] nvarchar(4) NOT NULL,
        [Scopes] nvarchar(2000) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [ExpiresAt] datetime2 NULL,
        [RevokedAt] datetime2 NULL,
        [LastUsedAt] datetime2 NULL,
        CONSTRAINT [PK_client_secrets] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_client_secrets_clients_ClientId] FOREIGN KEY ([ClientId]) REFERENCES [clients] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204210117_AddClientSecrets'
)
BEGIN
    CREATE INDEX [IX_client_secrets_ClientId] ON [client_secrets] ([ClientId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204210117_AddClientSecrets'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204210117_AddClientSecrets', N'10.0.15');
END;

COMMIT;
GO

