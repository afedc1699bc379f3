using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Atiende.Server.Tests.Infrastructure;
using MailKit.Search;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Atiende.Server.Tests.Mail;

/// <summary>
/// A real server process reading a real mailbox is killed with SIGKILL in the middle of its first batch; after a
/// restart every message is a ticket exactly once and every message is \Seen on the server: nothing lost, nothing
/// duplicated, and at no moment a message flagged before its ticket was committed.
/// </summary>
public sealed class MailKillTests
{
    private const int Messages = 60;

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task SigkillInTheMiddleOfAPollingBatch_AfterRestart_NothingLostNothingDuplicated(Engine engine)
    {
        var servers = RealMailServers.FromEnvironment();
        var desk = servers.NewMailbox("kill", "atiende.test");
        var word = TestApp.UniqueWord();
        var subjects = Enumerable.Range(1, Messages).Select(i => $"Kill test {word} {i:00}").ToList();
        await servers.SendAsync([.. subjects.Select((subject, i) => RealMailServers.Message($"sender{i}-{word}@example.test", desk, subject, $"Message {i}."))]);
        await servers.WaitForMessagesAsync(desk, Messages);

        var db = await TestApp.NewDatabaseAsync(engine);
        Assert.Equal(0, await AtiendeHost.RunAsync(["migrate", "--db", db, "--AdminEmail", TestApp.AdminEmail, "--AdminPassword", TestApp.AdminPassword]));
        string[] settings =
        [
            "--DataDir", Path.Combine(Path.GetTempPath(), "atiende-tests", Guid.NewGuid().ToString("N"), "data"), // the same keys after the restart
            "--Mail:AcceptInvalidCertificates", "true", "--Mail:PollBatchSize", "5", "--Mail:PollLeaseSeconds", "3",

            // No polling to speak of: after the first pass, new mail can only arrive in time through IDLE.
            "--Mail:PollSeconds", "300",
        ];

        int atKill;
        await using (var first = await ServerProcess.StartAsync(db, settings))
        {
            var client = await first.SignInAsync();
            var created = await client.PostAsJsonAsync("admin/mail-accounts", new
            {
                name = "kill-test",
                address = desk,
                inboundProtocol = "imap",
                inboundHost = servers.Host,
                inboundPort = servers.ImapPort,
                inboundSecurity = "start_tls",
                inboundPassword = servers.Password,
            });
            await created.EnsureStatus(HttpStatusCode.Created);

            // The poller starts on the new account at once; kill it as soon as its first tickets are committed.
            var deadline = Stopwatch.StartNew();
            while ((atKill = await CountAsync(engine, db, "SELECT COUNT(*) FROM \"Tickets\"")) == 0)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"No ticket appeared within 30 s. Server output:\n{first.Output}");
                await Task.Delay(5);
            }

            first.Kill();
            atKill = await CountAsync(engine, db, "SELECT COUNT(*) FROM \"Tickets\"");
        }

        Assert.True(atKill is > 0 and < Messages, $"The kill should land mid-batch, but {atKill} of {Messages} tickets were already there.");

        // Flagged only after the commit: every message the killed process marked \Seen has its ticket.
        var seen = await servers.MessageIdsAsync(desk, SearchQuery.Seen);
        var stored = await MessageIdsAsync(engine, db);
        Assert.Subset(stored.ToHashSet(), seen.ToHashSet()); // seen ⊆ stored

        await using (var second = await ServerProcess.StartAsync(db, settings))
        {
            var deadline = Stopwatch.StartNew();
            while (await CountAsync(engine, db, "SELECT COUNT(*) FROM \"MailMessages\" WHERE NOT \"Outbound\"") < Messages
                || (await servers.CountAsync(desk)).Seen < Messages)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"The restarted server did not finish the mailbox within 60 s. Server output:\n{second.Output}");
                await Task.Delay(100);
            }

            // The session now waits in IDLE: one more message is imported within seconds.
            subjects.Add($"Kill test {word} after the restart");
            await servers.SendAsync(RealMailServers.Message($"late-{word}@example.test", desk, subjects[^1], "One more."));
            deadline.Restart();
            while (await CountAsync(engine, db, "SELECT COUNT(*) FROM \"Tickets\"") <= Messages || (await servers.CountAsync(desk)).Seen <= Messages)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"New mail was not picked up through IDLE within 20 s. Server output:\n{second.Output}");
                await Task.Delay(100);
            }
        }

        Assert.Equal((Messages + 1, Messages + 1), await servers.CountAsync(desk));
        var tickets = await SubjectsAsync(engine, db);
        Assert.Equal(subjects.Order(StringComparer.Ordinal), tickets.Order(StringComparer.Ordinal)); // each message once, none lost
        Assert.Equal(Messages + 1, await CountAsync(engine, db, "SELECT COUNT(*) FROM \"Articles\""));
        Assert.Equal(0, await CountAsync(engine, db, "SELECT COUNT(*) FROM \"Quarantine\""));
        var ids = await MessageIdsAsync(engine, db);
        Assert.Equal((await servers.MessageIdsAsync(desk, SearchQuery.All)).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    private static async Task<int> CountAsync(Engine engine, string connectionString, string sql) =>
        Convert.ToInt32((await QueryAsync(engine, connectionString, sql)).Single(), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<List<string>> SubjectsAsync(Engine engine, string connectionString) =>
        (await QueryAsync(engine, connectionString, "SELECT \"Subject\" FROM \"Tickets\"")).Select(s => (string)s).ToList();

    private static async Task<List<string>> MessageIdsAsync(Engine engine, string connectionString) =>
        (await QueryAsync(engine, connectionString, "SELECT \"MessageId\" FROM \"MailMessages\" WHERE NOT \"Outbound\"")).Select(s => (string)s).ToList();

    /// <summary>The first column of every row, read straight from the server's database while it runs.</summary>
    private static async Task<List<object>> QueryAsync(Engine engine, string connectionString, string sql)
    {
        await using DbConnection connection = engine == Engine.Sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<object>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetValue(0));
        }

        return values;
    }
}
