using System.Diagnostics;
using Atiende.Server.Mail;
using Atiende.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Atiende.Server.Tests.Mail;

/// <summary>
/// Every message of the shared real-world corpus (bounces, TNEF, broken charsets, deep nesting, ...) is either
/// turned into a ticket or quarantined with a reason: no crash, no hang, each within a time bound.
/// </summary>
public sealed class MailCorpusTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PerMessage = TimeSpan.FromSeconds(10);

    public static string CorpusDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Atiende.slnx")))
        {
            directory = directory.Parent;
        }

        var corpus = Path.Combine(directory?.Parent?.FullName ?? "", "shared", "corpus", "mail");
        Assert.True(Directory.Exists(corpus), $"The mail corpus was not found at {corpus}: shared/ must sit beside the repository.");
        return corpus;
    }

    public static List<string> CorpusFiles() =>
        Directory.EnumerateFiles(CorpusDirectory(), "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).Contains("LICENSE", StringComparison.OrdinalIgnoreCase) && !f.EndsWith(".md", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task EveryCorpusMessage_BecomesATicketOrIsQuarantinedWithAReason(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var files = CorpusFiles();
        Assert.True(files.Count >= 250, $"Expected the whole corpus, found {files.Count} files.");
        var outcomes = new Dictionary<IngestOutcome, int>();
        foreach (var file in files)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var ingest = scope.ServiceProvider.GetRequiredService<IngestMail>();
            using var timeout = new CancellationTokenSource(PerMessage);
            var watch = Stopwatch.StartNew();
            var result = await ingest.IngestAsync(await File.ReadAllBytesAsync(file), null, "corpus", timeout.Token);
            Assert.True(watch.Elapsed < PerMessage, $"{file} took {watch.Elapsed}.");
            switch (result.Outcome)
            {
                case IngestOutcome.Accepted or IngestOutcome.Duplicate:
                    Assert.NotNull(result.TicketId);
                    break;
                default:
                    Assert.False(string.IsNullOrWhiteSpace(result.Reason), $"{file} was quarantined without a reason.");
                    Assert.NotNull(result.QuarantineId);
                    break;
            }

            outcomes[result.Outcome] = outcomes.GetValueOrDefault(result.Outcome) + 1;
            output.WriteLine($"{result.Outcome}\t{Path.GetRelativePath(CorpusDirectory(), file)}\t{result.Reason}");
        }

        // The corpus also holds files that are not messages (TNEF payloads, expected-output lists, keys, mbox files);
        // those are quarantined. The messages must become tickets: this floor catches a parser or rule regression.
        var tickets = outcomes.GetValueOrDefault(IngestOutcome.Accepted) + outcomes.GetValueOrDefault(IngestOutcome.Duplicate);
        Assert.True(tickets >= 180, $"Only {tickets} tickets: {string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}");
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task OutlookTnef_ItsAttachmentsAreExtracted(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var raw = await File.ReadAllBytesAsync(Path.Combine(CorpusDirectory(), "mimekit", "tnef", "rich-text.eml"));
        await using var scope = app.Services.CreateAsyncScope();

        // A fresh Message-ID: the corpus test may have taken this message already.
        var text = System.Text.Encoding.Latin1.GetString(raw);
        var fresh = System.Text.Encoding.Latin1.GetBytes(System.Text.RegularExpressions.Regex.Replace(text, "(?im)^Message-ID:.*$", $"Message-ID: <{Guid.NewGuid():N}@tnef.test>"));
        var result = await scope.ServiceProvider.GetRequiredService<IngestMail>().IngestAsync(fresh, null, "test", CancellationToken.None);

        Assert.Equal(IngestOutcome.Accepted, result.Outcome);
        var files = await app.Admin.ItemsAsync($"tickets/{result.TicketId}/articles");
        var names = files.Single().GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("fileName").GetString()).ToList();
        Assert.NotEmpty(names);
        Assert.DoesNotContain("winmail.dat", names);
    }
}
