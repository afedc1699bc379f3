using Atiende.Domain.Sla;
using Atiende.Domain.Tickets;
using Atiende.Server.Data;

namespace Atiende.Server.Sla;

/// <summary>
/// The one call every ticket change makes before saving: match the policy and let the domain reconcile the
/// ticket's SLA targets (the ticket must be loaded with its Tags and SlaTargets).
/// </summary>
public sealed class SlaTracking(SlaCache cache)
{
    public async Task<SlaPolicy?> ReconcileAsync(AtiendeDb db, Ticket ticket, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var snapshot = await cache.GetAsync(db, cancellationToken);
        var policy = SlaPolicies.Match(snapshot.Policies, SlaFacts.Of(ticket)).Policy;
        SlaPlanner.Reconcile(ticket, policy, snapshot.ClockFor(policy), ticket.SlaTargets, now);
        return policy;
    }

    public async Task<SlaPolicy?> PolicyForAsync(AtiendeDb db, Ticket ticket, CancellationToken cancellationToken)
    {
        var snapshot = await cache.GetAsync(db, cancellationToken);
        return SlaPolicies.Match(snapshot.Policies, SlaFacts.Of(ticket)).Policy;
    }
}
