using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Atiende.Server.Mail;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Atiende.Bench;

/// <summary>
/// Mail ingestion (issue 3): messages per second through the ingestion the pipe command and the relay API use, and
/// from a real IMAP mailbox through the poller, each beside the raw MimeKit parse rate of the same messages.
/// The messages are the shared real-world corpus, given fresh Message-IDs so none is a duplicate.
/// </summary>
public static partial class MailBench
{
    private const string Section = "Mail ingestion (the shared corpus)";

    public static async Task RunAsync(BenchServer server, BenchDatabase database, BenchOptions options, Report report)
    {
        var corpus = LoadCorpus();
        if (corpus.Count == 0)
        {
            report.Note("Mail: the corpus (../shared/corpus/mail) was not found; mail figures skipped.");
            return;
        }

        var count = options.Quick ? 300 : 2_000;
        var messages = Enumerable.Range(0, count).Select(i => WithFreshId(corpus[i % corpus.Count], i)).ToList();
        Console.WriteLine($"-> mail: {count:N0} messages from {corpus.Count} corpus messages");

        var parsed = await Rate(messages.Count, async () =>
        {
            foreach (var raw in messages)
            {
                using var stream = new MemoryStream(raw);
                _ = await MimeMessage.LoadAsync(stream);
            }
        });

        var ingested = await Rate(messages.Count, async () =>
        {
            foreach (var raw in messages)
            {
                await using var scope = server.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IngestMail>().IngestAsync(raw, null, "bench", CancellationToken.None);
            }
        });
        report.AddRate(Section, "ingest (pipe command / relay API path), sequential", "msgs/s", ingested, parsed);
        report.Target("≥ 200 messages/s ingested end to end" + (database.IsSqlite ? "" : " (the target is set for SQLite)"), $"{ingested:N0}/s", ingested >= 200);

        if (Environment.GetEnvironmentVariable("ATIENDE_TEST_IMAP_PORT") is { } imapPort
            && Environment.GetEnvironmentVariable("ATIENDE_TEST_SMTP_PORT") is { } smtpPort)
        {
            var fresh = Enumerable.Range(0, options.Quick ? 100 : 500).Select(i => WithFreshId(corpus[i % corpus.Count], count + i)).ToList();
            var imap = await ImapAsync(server, fresh, int.Parse(imapPort, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(smtpPort, System.Globalization.CultureInfo.InvariantCulture));
            report.AddRate(Section, "from IMAP through the poller (download, ingest, flag \\Seen)", "msgs/s", imap, parsed);
        }
        else
        {
            report.Note("Mail: no test mail servers (bench/run.sh starts them); the IMAP figure is skipped.");
        }

        var pipe = await PipeAsync(database, messages.Take(10).ToList());
        report.AddRate(Section, "`atiende mail ingest` process per message (startup included)", "msgs/s", pipe, parsed);
        Console.WriteLine($"   parse {parsed:N0}/s, ingest {ingested:N0}/s, pipe process {pipe:N1}/s");
    }

    private static async Task<double> Rate(int count, Func<Task> run)
    {
        var started = Stopwatch.GetTimestamp();
        await run();
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Delivers the messages to a fresh mailbox by SMTP, then lets the poller take them all.</summary>
    private static async Task<double> ImapAsync(BenchServer server, List<byte[]> messages, int imapPort, int smtpPort)
    {
        var user = $"bench{Guid.NewGuid():N}"[..20] + "@atiende.test";
        var password = Environment.GetEnvironmentVariable("ATIENDE_TEST_MAIL_PASSWORD") ?? "";
        var users = Environment.GetEnvironmentVariable("ATIENDE_TEST_MAIL_USERS_DIR") ?? throw new InvalidOperationException("ATIENDE_TEST_MAIL_USERS_DIR is not set.");
        await File.WriteAllTextAsync(Path.Combine(users, user), $"{user}:{{PLAIN}}{password}\n");
        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync("127.0.0.1", smtpPort, SecureSocketOptions.None);
            foreach (var raw in messages)
            {
                using var stream = new MemoryStream(raw);
                var message = await MimeMessage.LoadAsync(stream);
                var from = message.From.Mailboxes.FirstOrDefault() ?? new MailboxAddress("", "bench@example.test");
                await smtp.SendAsync(message, from, [new MailboxAddress("", user)]);
            }

            await smtp.DisconnectAsync(quit: true);
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // let Postfix hand the last ones to Dovecot
        var account = await server.CallAsync(HttpMethod.Post, "admin/mail-accounts", server.AdminToken, new
        {
            name = user,
            address = user,
            inboundProtocol = "imap",
            inboundHost = "127.0.0.1",
            inboundPort = imapPort,
            inboundSecurity = "none",
            inboundUser = user,
            inboundPassword = password,
        }, System.Net.HttpStatusCode.Created);
        var poller = server.Services.GetRequiredService<MailPoller>();
        var started = Stopwatch.GetTimestamp();
        var taken = 0;
        while (taken < messages.Count)
        {
            var pass = await poller.PollOnceAsync(account.GetProperty("id").GetInt64(), CancellationToken.None);
            var done = pass.Accepted + pass.Duplicates + pass.Quarantined;
            if (done == 0)
            {
                throw new InvalidOperationException($"The poller stopped after {taken} of {messages.Count} messages: {pass}");
            }

            taken += done;
        }

        return taken / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>One `atiende mail ingest` process per message, as an MTA's pipe transport runs it.</summary>
    private static async Task<double> PipeAsync(BenchDatabase database, List<byte[]> messages)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "atiende.dll");
        var started = Stopwatch.GetTimestamp();
        foreach (var raw in messages)
        {
            using var process = Process.Start(new ProcessStartInfo("dotnet")
            {
                ArgumentList = { server, "mail", "ingest", "--db", database.ConnectionString },
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            await process.StandardInput.BaseStream.WriteAsync(raw);
            process.StandardInput.Close();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode is not (0 or 2))
            {
                throw new InvalidOperationException($"mail ingest exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
            }
        }

        return messages.Count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>The corpus messages MimeKit reads with a sender (the other files are payloads and expected outputs).</summary>
    private static List<byte[]> LoadCorpus()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Atiende.slnx")))
        {
            directory = directory.Parent;
        }

        var root = Path.Combine(directory?.Parent?.FullName ?? "", "shared", "corpus", "mail");
        if (!Directory.Exists(root))
        {
            return [];
        }

        var messages = new List<byte[]>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var raw = File.ReadAllBytes(file);
            try
            {
                using var stream = new MemoryStream(raw);
                if (MimeMessage.Load(stream).From.Mailboxes.Any())
                {
                    messages.Add(raw);
                }
            }
            catch (FormatException)
            {
            }
        }

        return messages;
    }

    private static byte[] WithFreshId(byte[] raw, int i)
    {
        var text = Encoding.Latin1.GetString(raw);
        var id = $"Message-ID: <bench-{i}-{Guid.NewGuid():N}@bench.test>";
        text = MessageIdHeader().IsMatch(text) ? MessageIdHeader().Replace(text, id, 1) : id + "\r\n" + text;
        return Encoding.Latin1.GetBytes(text);
    }

    [GeneratedRegex("(?im)^Message-ID:[^\r\n]*")]
    private static partial Regex MessageIdHeader();
}
