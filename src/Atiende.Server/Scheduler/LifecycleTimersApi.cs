using Atiende.Domain.Scheduling;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Atiende.Server.Sla;
using Atiende.Server.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Scheduler;

/// <summary>The lifecycle timers: pending reminder and auto-close, resolved auto-close, trash retention.</summary>
public static class LifecycleTimersApi
{
    private const string Key = "lifecycle-timers";

    public sealed record Request(int? PendingReminderDays, int? PendingAutoCloseDays, int? ResolvedAutoCloseDays, int? TrashRetentionDays);

    public static RouteGroupBuilder MapLifecycleTimersApi(this RouteGroupBuilder api)
    {
        var timers = api.MapGroup("/admin/lifecycle-timers").WithTags("Scheduler").RequireAuthorization(UsersApi.AdminOnly);
        timers.MapGet("/", Get).WithName("GetLifecycleTimers").WithSummary("Days before pending reminders, auto-close and trash purge (0 = off).");
        timers.MapPut("/", Replace).WithName("ReplaceLifecycleTimers").WithSummary("Change the lifecycle timers.");
        return api;
    }

    public static async Task<LifecycleTimers> LoadAsync(AtiendeDb db, CancellationToken cancellationToken)
    {
        var json = await db.Settings.Where(s => s.Key == Key).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
        return json is null ? new LifecycleTimers() : SlaMapping.FromJson<LifecycleTimers>(json);
    }

    public static async Task<Ok<LifecycleTimers>> Get(AtiendeDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await LoadAsync(db, cancellationToken));

    public static async Task<Results<Ok<LifecycleTimers>, ProblemHttpResult>> Replace(Request request, AtiendeDb db, CancellationToken cancellationToken)
    {
        var defaults = new LifecycleTimers();
        var timers = new LifecycleTimers(
            request.PendingReminderDays ?? defaults.PendingReminderDays,
            request.PendingAutoCloseDays ?? defaults.PendingAutoCloseDays,
            request.ResolvedAutoCloseDays ?? defaults.ResolvedAutoCloseDays,
            request.TrashRetentionDays ?? defaults.TrashRetentionDays);
        var problems = timers.Validate();
        if (problems.Count > 0)
        {
            var v = new Validation();
            foreach (var problem in problems)
            {
                v.Add("timers", problem);
            }

            return Problems.Invalid(v);
        }

        var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == Key, cancellationToken);
        if (row is null)
        {
            db.Settings.Add(new Setting { Key = Key, Value = SlaMapping.ToJson(timers) });
        }
        else
        {
            row.Value = SlaMapping.ToJson(timers);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(timers);
    }
}
