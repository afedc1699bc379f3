using System.Data.Common;
using Atiende.Server.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Atiende.Bench;

/// <summary>
/// The database under test, new for every run: a SQLite file in a temp directory, or a database of its own on the
/// given PostgreSQL server. The app and the ADO.NET baseline use the same connection string; it is dropped at the end.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string? _pgAdmin;
    private readonly string? _sqliteDirectory;

    private BenchDatabase(DatabaseEngine engine, string connectionString, string? pgAdmin, string? sqliteDirectory)
    {
        Engine = engine;
        ConnectionString = connectionString;
        _pgAdmin = pgAdmin;
        _sqliteDirectory = sqliteDirectory;
    }

    public DatabaseEngine Engine { get; }

    /// <summary>What the app gets as --db, and what the baseline connects with.</summary>
    public string ConnectionString { get; }

    public bool IsSqlite => Engine == DatabaseEngine.Sqlite;

    public static async Task<BenchDatabase> CreateAsync(BenchOptions options)
    {
        if (options.Engine == DatabaseEngine.Sqlite)
        {
            var directory = Path.Combine(Path.GetTempPath(), $"atiende-bench-{Guid.NewGuid():N}");
            Directory.CreateDirectory(directory);
            return new BenchDatabase(DatabaseEngine.Sqlite, $"Data Source={Path.Combine(directory, "atiende.db")}", null, directory);
        }

        var name = $"atiende_bench_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(options.PgAdmin))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(options.PgAdmin) { Database = name }.ConnectionString;
        return new BenchDatabase(DatabaseEngine.Postgres, connectionString, options.PgAdmin, null);
    }

    /// <summary>An open connection set up like the app's (on SQLite: the same per-connection pragmas).</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = IsSqlite ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        if (IsSqlite)
        {
            await ExecuteAsync(connection, "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;");
        }

        return connection;
    }

    /// <summary>How the app stores a DateTimeOffset: UTC ticks on SQLite, timestamptz on PostgreSQL.</summary>
    public object Time(DateTimeOffset value) => IsSqlite ? value.UtcTicks : value.ToUniversalTime();

    public async Task<string> VersionAsync()
    {
        await using var connection = await OpenAsync();
        return IsSqlite
            ? $"SQLite {await ScalarAsync(connection, "SELECT sqlite_version()")} (Microsoft.Data.Sqlite)"
            : $"PostgreSQL {await ScalarAsync(connection, "SHOW server_version")} (Npgsql)";
    }

    public async Task<long> CountTicketsAsync()
    {
        await using var connection = await OpenAsync();
        return Convert.ToInt64(await ScalarAsync(connection, "SELECT COUNT(*) FROM \"Tickets\""), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Adds a parameter and returns it, so a prepared command can be reused with new values.</summary>
    public static DbParameter Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public async ValueTask DisposeAsync()
    {
        if (IsSqlite)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_sqliteDirectory!, recursive: true);
            return;
        }

        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
        await using var admin = new NpgsqlConnection(_pgAdmin);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
