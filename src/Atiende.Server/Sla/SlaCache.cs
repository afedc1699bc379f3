using Atiende.Domain.Sla;
using Atiende.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Sla;

/// <summary>
/// Policies and calendar clocks, loaded once and shared: matching a ticket costs no query. An admin change clears it
/// in this process; other processes reload within <see cref="Lifetime"/>.
/// </summary>
public sealed class SlaCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    public static readonly BusinessClock AlwaysOpen = new(BusinessCalendar.AlwaysOpen, TimeZoneInfo.Utc);
    private volatile Snapshot? _snapshot;

    public sealed record Snapshot(IReadOnlyList<SlaPolicy> Policies, IReadOnlyDictionary<long, BusinessClock> Clocks, DateTimeOffset LoadedAt)
    {
        public BusinessClock ClockFor(SlaPolicy? policy) =>
            policy?.CalendarId is { } id && Clocks.TryGetValue(id, out var found) ? found : AlwaysOpen;
    }

    public async Task<Snapshot> GetAsync(AtiendeDb db, CancellationToken cancellationToken)
    {
        var current = _snapshot;
        if (current is not null && clock.GetUtcNow() - current.LoadedAt < Lifetime)
        {
            return current;
        }

        var policies = (await db.SlaPolicies.AsNoTracking().ToListAsync(cancellationToken)).Select(SlaMapping.ToDomain).ToList();
        var clocks = new Dictionary<long, BusinessClock>();
        foreach (var row in await db.Calendars.AsNoTracking().ToListAsync(cancellationToken))
        {
            if (SlaMapping.FindZone(row.TimeZoneId) is { } zone)
            {
                clocks[row.Id] = new BusinessClock(SlaMapping.ToDomain(row), zone);
            }
        }

        return _snapshot = new Snapshot(policies, clocks, clock.GetUtcNow());
    }

    public void Invalidate() => _snapshot = null;
}
