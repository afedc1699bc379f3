using Atiende.Domain.Lifecycle;
using Npgsql;
using NpgsqlTypes;

namespace Atiende.Bench;

/// <summary>Who and when seeded tickets are about: requesters, agents, groups, and the time span of their creation.</summary>
public sealed record SeedPool(IReadOnlyList<long> Customers, IReadOnlyList<long> Agents, IReadOnlyList<long> Groups, DateTimeOffset End, long FinalTotal)
{
    public static readonly TimeSpan Span = TimeSpan.FromDays(730);
}

/// <summary>
/// Bulk-loads tickets straight into the database, bypassing the app: on SQLite a prepared insert in transactions of
/// 50,000 rows (the app's FTS triggers fire as usual), on PostgreSQL a binary COPY. Values are stored as the app stores them:
/// enums by name (priority as a number), times as UTC ticks on SQLite and timestamptz on PostgreSQL. Open work is recent
/// and consistent with the default lifecycle timers (nothing pending, resolved or deleted for longer than they allow),
/// so the app's scheduler finds nothing due and the measured requests run beside an idle scheduler, as in steady state.
/// </summary>
public static class Seeder
{
    private static readonly string[] Subjects =
    [
        "Cannot sign in to the customer portal", "Invoice shows the wrong amount", "Refund for a duplicate payment",
        "Password reset email never arrives", "Order arrived damaged", "How do I export my data?", "App crashes on startup",
        "Change the billing address", "Shipping is late", "Two-factor codes are rejected", "Cancel my subscription",
        "Feature request: dark mode", "Error 500 when saving a report", "Add a colleague to our account", "VAT number missing on invoice",
    ];

    // Roughly a mature helpdesk: most tickets closed, a working set in the active statuses.
    private static readonly (string Status, int Weight)[] Statuses =
    [
        (DefaultLifecycle.New, 5), (DefaultLifecycle.Open, 15), (DefaultLifecycle.Answered, 10), (DefaultLifecycle.Pending, 5),
        (DefaultLifecycle.OnHold, 3), (DefaultLifecycle.Snoozed, 2), (DefaultLifecycle.Resolved, 10), (DefaultLifecycle.Closed, 48),
        (DefaultLifecycle.Spam, 1), (DefaultLifecycle.Deleted, 1),
    ];

    private const int SqliteChunk = 50_000;

    private static readonly string[] Types = ["Question", "Incident", "Problem", "Task"];
    private static readonly string[] Channels = ["Email", "Email", "Email", "Email", "Email", "Web", "Web", "Phone", "Chat", "Api"];

    private static readonly string[] Columns =
    [
        "Subject", "Status", "StatusCategory", "Priority", "Type", "Channel", "Visibility", "RequesterId", "GroupId", "AssigneeId",
        "CreatedAt", "UpdatedAt", "FirstRespondedAt", "ResolvedAt", "ClosedAt", "SnoozedUntil", "StatusChangedAt", "LastCustomerMessageAt",
        "LastAgentMessageAt", "PreviousStatus", "CustomFields", "Version",
    ];

    // How recently a ticket in each status last changed. Closed, spam and merged history spreads over the two years;
    // tickets still being worked on changed lately, and the ones with timers within the default lifecycle timers
    // (reminder after 3 days pending, auto-close after 5 days resolved, purge after 30 days deleted).
    private static readonly Dictionary<string, TimeSpan> RecentStatuses = new(StringComparer.Ordinal)
    {
        [DefaultLifecycle.New] = TimeSpan.FromDays(3),
        [DefaultLifecycle.Open] = TimeSpan.FromDays(30),
        [DefaultLifecycle.Answered] = TimeSpan.FromDays(30),
        [DefaultLifecycle.Pending] = TimeSpan.FromDays(2.5),
        [DefaultLifecycle.OnHold] = TimeSpan.FromDays(30),
        [DefaultLifecycle.Snoozed] = TimeSpan.FromDays(30),
        [DefaultLifecycle.Resolved] = TimeSpan.FromDays(4.5),
        [DefaultLifecycle.Deleted] = TimeSpan.FromDays(29),
    };

    private readonly record struct Row(
        string Subject, string Status, string Category, int Priority, string Type, string Channel, string Visibility, long RequesterId,
        long? GroupId, long? AssigneeId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FirstRespondedAt,
        DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt, DateTimeOffset? SnoozedUntil, DateTimeOffset StatusChangedAt,
        DateTimeOffset? LastAgentMessageAt, string? PreviousStatus, int Version);

    /// <summary>Inserts users of one role (no password: they never sign in) and returns their ids.</summary>
    public static async Task<List<long>> UsersAsync(BenchDatabase database, string role, string prefix, int count, DateTimeOffset now)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO "Users" ("Email", "Name", "Role", "Locale", "Active", "CreatedAt", "UpdatedAt", "Version")
            VALUES (@email, @name, @role, 'en', @active, @now, @now, 1) RETURNING "Id"
            """;
        var email = BenchDatabase.Parameter(insert, "@email", "");
        var name = BenchDatabase.Parameter(insert, "@name", "");
        BenchDatabase.Parameter(insert, "@role", role);
        BenchDatabase.Parameter(insert, "@active", true);
        BenchDatabase.Parameter(insert, "@now", database.Time(now));
        await insert.PrepareAsync();

        var ids = new List<long>(count);
        for (var i = 0; i < count; i++)
        {
            email.Value = $"{prefix}-{i}@seed.test";
            name.Value = $"{prefix} {i}";
            ids.Add((long)(await insert.ExecuteScalarAsync())!);
        }

        await transaction.CommitAsync();
        return ids;
    }

    /// <summary>Seeds tickets number <paramref name="from"/> (inclusive) to <paramref name="to"/> of the pool's final total.</summary>
    public static async Task TicketsAsync(BenchDatabase database, SeedPool pool, long from, long to)
    {
        var random = new Random((int)from);
        var rows = Enumerable.Range(0, checked((int)(to - from))).Select(i => Generate(random, pool, from + i));
        if (database.IsSqlite)
        {
            await SqliteAsync(database, rows);
        }
        else
        {
            await PostgresAsync(database, rows);
        }
    }

    private static async Task SqliteAsync(BenchDatabase database, IEnumerable<Row> rows)
    {
        await using var connection = await database.OpenAsync();

        // A large page cache for the load only: the app's ten indexes on Tickets are updated in random order.
        await BenchDatabase.ExecuteAsync(connection, "PRAGMA cache_size=-1000000;");
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"""
            INSERT INTO "Tickets" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))})
            VALUES ({string.Join(", ", Columns.Select(c => $"@{c}"))})
            """;
        var p = Columns.Select(c => BenchDatabase.Parameter(insert, $"@{c}", DBNull.Value)).ToArray();
        await insert.PrepareAsync();

        // One transaction per chunk: one for everything would hold the write lock for minutes, and the app's scheduler
        // and outbox dispatcher (which take leases every second) would give up after their 30 s busy timeout.
        foreach (var chunk in rows.Chunk(SqliteChunk))
        {
            await using var transaction = await connection.BeginTransactionAsync();
            insert.Transaction = transaction;
            foreach (var r in chunk)
            {
                object?[] values =
                [
                    r.Subject, r.Status, r.Category, r.Priority, r.Type, r.Channel, r.Visibility, r.RequesterId, r.GroupId, r.AssigneeId,
                    r.CreatedAt.UtcTicks, r.UpdatedAt.UtcTicks, r.FirstRespondedAt?.UtcTicks, r.ResolvedAt?.UtcTicks, r.ClosedAt?.UtcTicks,
                    r.SnoozedUntil?.UtcTicks, r.StatusChangedAt.UtcTicks, r.CreatedAt.UtcTicks, r.LastAgentMessageAt?.UtcTicks, r.PreviousStatus, "{}",
                    r.Version,
                ];
                for (var i = 0; i < p.Length; i++)
                {
                    p[i].Value = values[i] ?? DBNull.Value;
                }

                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }
    }

    private static async Task PostgresAsync(BenchDatabase database, IEnumerable<Row> rows)
    {
        await using var connection = (NpgsqlConnection)await database.OpenAsync();
        await using (var copy = await connection.BeginBinaryImportAsync(
                         $"COPY \"Tickets\" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(r.Subject, NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.Status, NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.Category, NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.Priority, NpgsqlDbType.Integer);
                await copy.WriteAsync(r.Type, NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.Channel, NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.Visibility, NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.RequesterId, NpgsqlDbType.Bigint);
                await WriteAsync(copy, r.GroupId, NpgsqlDbType.Bigint);
                await WriteAsync(copy, r.AssigneeId, NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(r.UpdatedAt, NpgsqlDbType.TimestampTz);
                await WriteAsync(copy, r.FirstRespondedAt, NpgsqlDbType.TimestampTz);
                await WriteAsync(copy, r.ResolvedAt, NpgsqlDbType.TimestampTz);
                await WriteAsync(copy, r.ClosedAt, NpgsqlDbType.TimestampTz);
                await WriteAsync(copy, r.SnoozedUntil, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(r.StatusChangedAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz);
                await WriteAsync(copy, r.LastAgentMessageAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(r.PreviousStatus, NpgsqlDbType.Varchar);
                await copy.WriteAsync("{}", NpgsqlDbType.Text);
                await copy.WriteAsync(r.Version, NpgsqlDbType.Integer);
            }

            await copy.CompleteAsync();
        }

        // Autovacuum would analyze within a minute of a bulk load anyway; doing it now makes the plans deterministic.
        await BenchDatabase.ExecuteAsync(connection, "ANALYZE \"Tickets\"");
    }

    private static async Task WriteAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            await copy.WriteAsync(v, type);
        }
        else
        {
            await copy.WriteNullAsync();
        }
    }

    private static Row Generate(Random random, SeedPool pool, long index)
    {
        // Ids follow creation time, as in the app; closed tickets were last updated within 30 days of creation.
        var step = SeedPool.Span.Ticks / pool.FinalTotal;
        var created = pool.End - SeedPool.Span + TimeSpan.FromTicks(Math.Min((step * index) + random.NextInt64(step), SeedPool.Span.Ticks));
        var status = Pick(random);
        var updated = RecentStatuses.TryGetValue(status, out var window)
            ? pool.End - TimeSpan.FromTicks(random.NextInt64(window.Ticks))
            : created + TimeSpan.FromTicks(random.NextInt64(Math.Max(1, Math.Min(TimeSpan.FromDays(30).Ticks, (pool.End - created).Ticks))));
        created = created < updated ? created : updated;
        var isNew = status == DefaultLifecycle.New;
        var done = status is DefaultLifecycle.Resolved or DefaultLifecycle.Closed;
        DateTimeOffset? responded = isNew ? null : created + ((updated - created) / 2);
        var roll = random.Next(100);
        return new Row(
            Subject: Subjects[random.Next(Subjects.Length)],
            Status: status,
            Category: DefaultLifecycle.Definition.Get(status).Category.ToString(),
            Priority: roll < 20 ? 0 : roll < 80 ? 1 : roll < 95 ? 2 : 3,
            Type: Types[random.Next(Types.Length)],
            Channel: Channels[random.Next(Channels.Length)],
            Visibility: random.Next(50) == 0 ? "Internal" : "Public",
            RequesterId: pool.Customers[random.Next(pool.Customers.Count)],
            GroupId: random.Next(10) == 0 ? null : pool.Groups[random.Next(pool.Groups.Count)],
            AssigneeId: isNew || random.Next(100) < 15 ? null : pool.Agents[random.Next(pool.Agents.Count)],
            CreatedAt: created,
            UpdatedAt: updated,
            FirstRespondedAt: responded,
            ResolvedAt: done ? updated : null,
            ClosedAt: status == DefaultLifecycle.Closed ? updated : null,
            SnoozedUntil: status == DefaultLifecycle.Snoozed ? pool.End + TimeSpan.FromDays(1 + random.Next(14)) : null,
            StatusChangedAt: updated,
            LastAgentMessageAt: responded,
            PreviousStatus: status is DefaultLifecycle.Snoozed or DefaultLifecycle.Spam or DefaultLifecycle.Deleted ? DefaultLifecycle.Open : null,
            Version: 1 + random.Next(6));
    }

    private static string Pick(Random random)
    {
        var roll = random.Next(Statuses.Sum(s => s.Weight));
        foreach (var (status, weight) in Statuses)
        {
            if ((roll -= weight) < 0)
            {
                return status;
            }
        }

        return DefaultLifecycle.Closed;
    }
}
