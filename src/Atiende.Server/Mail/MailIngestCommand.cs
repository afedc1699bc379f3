using Atiende.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Mail;

/// <summary>
/// `atiende mail ingest [--account NAME] &lt; message.eml`, for an MTA's pipe. The exit code tells the MTA what to do:
/// 0 accepted (or already had it), 2 quarantined (kept: do not retry or bounce), 75 failed for now (EX_TEMPFAIL: retry later).
/// </summary>
public static class MailIngestCommand
{
    public const int Accepted = 0;
    public const int Quarantined = 2;
    public const int TemporaryFailure = 75;

    public static async Task<int> RunAsync(WebApplication app, string[] flags, Stream input)
    {
        await using var _ = app;
        var account = flags.SkipWhile(f => f != "--account").Skip(1).FirstOrDefault();
        try
        {
            await AtiendeHost.PrepareAsync(app, printFirstAdmin: false);
            using var buffer = new MemoryStream();
            await input.CopyToAsync(buffer);
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AtiendeDb>();
            MailAccount? mailAccount = null;
            if (account is not null && (mailAccount = await db.MailAccounts.FirstOrDefaultAsync(a => a.Name == account)) is null)
            {
                await Console.Error.WriteLineAsync($"There is no mail account named '{account}'.");
                return TemporaryFailure;
            }

            var result = await scope.ServiceProvider.GetRequiredService<IngestMail>().IngestAsync(buffer.ToArray(), mailAccount, "pipe", CancellationToken.None);
            Console.WriteLine($"{result.Outcome}: {result.Reason}{(result.TicketId is { } id ? $" (ticket #{id})" : "")}");
            return result.Outcome == IngestOutcome.Quarantined ? Quarantined : Accepted;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"Failed, the message was not taken: {e.Message}");
            return TemporaryFailure;
        }
    }
}
