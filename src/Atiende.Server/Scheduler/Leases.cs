using Atiende.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Scheduler;

/// <summary>
/// Database leases: one conditional UPDATE takes or renews a lease atomically on both engines, so when several
/// server processes share a database exactly one of them runs the scheduler at a time.
/// </summary>
public static class Leases
{
    public static async Task<bool> TryAcquireAsync(AtiendeDb db, string name, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        var expires = now + duration;
        var taken = await db.SchedulerLeases
            .Where(l => l.Name == name && (l.Owner == owner || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Owner, owner).SetProperty(l => l.ExpiresAt, expires), cancellationToken);
        if (taken == 1)
        {
            return true;
        }

        if (await db.SchedulerLeases.AnyAsync(l => l.Name == name, cancellationToken))
        {
            return false;
        }

        try
        {
            db.SchedulerLeases.Add(new SchedulerLease { Name = name, Owner = owner, ExpiresAt = expires });
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return false; // another process created it first and holds it
        }
    }

    public static Task ReleaseAsync(AtiendeDb db, string name, string owner, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.SchedulerLeases.Where(l => l.Name == name && l.Owner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, now), cancellationToken);
}
