using System.Data.Common;
using Atiende.Server.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Atiende.Server.Data;

public static class DataSetup
{
    /// <summary>Picks the engine from the Db setting: a PostgreSQL connection string, else a SQLite file.</summary>
    public static (DatabaseEngine Engine, string ConnectionString) Resolve(AtiendeOptions options)
    {
        var db = options.Db?.Trim();
        if (string.IsNullOrEmpty(db))
        {
            Directory.CreateDirectory(options.DataDir);
            return (DatabaseEngine.Sqlite, $"Data Source={Path.Combine(options.DataDir, "atiende.db")}");
        }

        if (db.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || db.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return (DatabaseEngine.Postgres, FromUrl(new Uri(db)));
        }

        if (db.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            return (DatabaseEngine.Postgres, db);
        }

        if (db.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
        {
            return (DatabaseEngine.Sqlite, db);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(db));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        return (DatabaseEngine.Sqlite, $"Data Source={db}");
    }

    public static void AddData(this WebApplicationBuilder builder, AtiendeOptions options)
    {
        var (engine, connectionString) = Resolve(options);
        if (engine == DatabaseEngine.Postgres)
        {
            builder.Services.AddDbContextPool<AtiendeDb, PostgresAtiendeDb>(o => UsePostgres(o, connectionString));
        }
        else
        {
            builder.Services.AddDbContextPool<AtiendeDb, SqliteAtiendeDb>(o => UseSqlite(o, connectionString));
        }

        builder.Services.AddSingleton<GroupCommit>();
    }

    public static void UsePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, o => o.MigrationsAssembly(typeof(AtiendeDb).Assembly.GetName().Name));

    public static void UseSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString).AddInterceptors(SqlitePragmas.Instance);

    /// <summary>Applies pending migrations; on SQLite also switches the file to WAL so readers never block the writer.</summary>
    public static async Task MigrateAsync(AtiendeDb db, CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Engine == DatabaseEngine.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    private static string FromUrl(Uri url)
    {
        var userInfo = url.UserInfo.Split(':', 2);
        var database = url.AbsolutePath.Trim('/');
        var port = url.Port > 0 ? url.Port : 5432;
        var credentials = userInfo.Length == 2
            ? $"Username={Uri.UnescapeDataString(userInfo[0])};Password={Uri.UnescapeDataString(userInfo[1])}"
            : $"Username={Uri.UnescapeDataString(userInfo[0])}";
        return $"Host={url.Host};Port={port};Database={database};{credentials}";
    }

    /// <summary>Per-connection settings: NORMAL sync is durable with WAL against process crashes and much faster.</summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

/// <summary>Used by `dotnet ef migrations add` only; no database is opened.</summary>
public sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqliteAtiendeDb>
{
    public SqliteAtiendeDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteAtiendeDb>();
        DataSetup.UseSqlite(options, "Data Source=design.db");
        return new SqliteAtiendeDb(options.Options);
    }
}

public sealed class PostgresDesignFactory : IDesignTimeDbContextFactory<PostgresAtiendeDb>
{
    public PostgresAtiendeDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresAtiendeDb>();
        DataSetup.UsePostgres(options, "Host=localhost;Database=design");
        return new PostgresAtiendeDb(options.Options);
    }
}
