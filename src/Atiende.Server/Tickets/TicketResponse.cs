using System.Text.Json;
using Atiende.Domain.Access;
using Atiende.Domain.Lifecycle;
using Atiende.Domain.Sla;
using Atiende.Domain.Tickets;
using Atiende.Domain.Users;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tickets;

public sealed record PersonRef(long Id, string Email, string Name);

public sealed record LinkResponse(TicketLinkKind Kind, long TicketId);

public sealed record TicketResponse(
    long Id,
    string Subject,
    string Status,
    StatusCategory StatusCategory,
    CustomerStatus CustomerStatus,
    TicketPriority Priority,
    TicketType Type,
    Channel Channel,
    TicketVisibility Visibility,
    PersonRef Requester,
    long? OrganizationId,
    long? GroupId,
    long? AssigneeId,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Cc,
    IReadOnlyList<LinkResponse> Links,
    JsonElement CustomFields,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FirstRespondedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? SnoozedUntil,
    IReadOnlyList<SlaTargetResponse>? Sla);

/// <summary>One SLA clock as agents see it; elapsed and target are business minutes.</summary>
public sealed record SlaTargetResponse(
    SlaTargetKind Kind, int Cycle, SlaState State, int TargetMinutes, int ElapsedMinutes, DateTimeOffset? DueAt, DateTimeOffset? WarnAt,
    DateTimeOffset? BreachedAt, DateTimeOffset? AchievedAt, int OverdueMinutes, long PolicyId);

/// <summary>Turns tickets into responses with a fixed number of queries per page (no N+1), shaped for the viewer.</summary>
public static class TicketResponses
{
    public static async Task<List<TicketResponse>> LoadAsync(
        AtiendeDb db, IReadOnlyList<Ticket> tickets, Viewer viewer, LifecycleDefinition lifecycle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (tickets.Count == 0)
        {
            return [];
        }

        var ids = tickets.Select(t => t.Id).ToList();
        var requesterIds = tickets.Select(t => t.RequesterId).Distinct().ToList();
        var requesters = await db.Users.AsNoTracking().Where(u => requesterIds.Contains(u.Id))
            .Select(u => new PersonRef(u.Id, u.Email, u.Name)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var tags = viewer.IsStaff
            ? (await db.TicketTags.AsNoTracking().Where(x => ids.Contains(x.TicketId)).OrderBy(x => x.Name).ToListAsync(cancellationToken)).ToLookup(x => x.TicketId, x => x.Name)
            : Enumerable.Empty<string>().ToLookup(_ => 0L);
        var cc = (await db.TicketCcs.AsNoTracking().Where(x => ids.Contains(x.TicketId)).OrderBy(x => x.Email).ToListAsync(cancellationToken))
            .ToLookup(x => x.TicketId, x => x.Email);
        var links = (await db.TicketLinks.AsNoTracking().Where(l => ids.Contains(l.TicketId) || ids.Contains(l.LinkedTicketId))
                .OrderBy(l => l.Id).ToListAsync(cancellationToken))
            .SelectMany(l => new[] { (Owner: l.TicketId, Link: new LinkResponse(l.Kind, l.LinkedTicketId)), (Owner: l.LinkedTicketId, Link: new LinkResponse(Reverse(l.Kind), l.TicketId)) })
            .ToLookup(x => x.Owner, x => x.Link);
        var sla = viewer.IsStaff
            ? (await db.SlaTargets.AsNoTracking().Where(x => ids.Contains(x.TicketId) && !x.Cancelled).ToListAsync(cancellationToken))
                .GroupBy(x => (x.TicketId, x.Kind)).Select(g => g.MaxBy(x => x.Cycle)!)
                .OrderBy(x => x.Kind).ToLookup(x => x.TicketId, x => ToResponse(x, now))
            : Enumerable.Empty<SlaTargetResponse>().ToLookup(_ => 0L);

        return tickets.Select(t => Shape(t, requesters[t.RequesterId], tags[t.Id].ToList(), cc[t.Id].ToList(), links[t.Id].ToList(), sla[t.Id].ToList(), viewer, lifecycle)).ToList();
    }

    public static async Task<TicketResponse> LoadAsync(
        AtiendeDb db, Ticket ticket, Viewer viewer, LifecycleDefinition lifecycle, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await LoadAsync(db, [ticket], viewer, lifecycle, now, cancellationToken))[0];

    /// <summary>A ticket just created, shaped from what is in memory: no queries.</summary>
    public static TicketResponse ForNew(Ticket ticket, User requester, Viewer viewer, LifecycleDefinition lifecycle, DateTimeOffset now) =>
        Shape(ticket, new PersonRef(requester.Id, requester.Email, requester.Name), viewer.IsStaff ? ticket.Tags.Select(t => t.Name).Order(StringComparer.Ordinal).ToList() : [],
            ticket.Cc.Select(c => c.Email).Order(StringComparer.Ordinal).ToList(), [],
            viewer.IsStaff ? ticket.SlaTargets.Where(x => !x.Cancelled).OrderBy(x => x.Kind).Select(x => ToResponse(x, now)).ToList() : [], viewer, lifecycle);

    private static SlaTargetResponse ToResponse(SlaTarget t, DateTimeOffset now)
    {
        var elapsed = t.Elapsed + (t.RunningSince is { } since && now > since ? now - since : TimeSpan.Zero);
        return new SlaTargetResponse(t.Kind, t.Cycle, t.StateAt(now), t.TargetMinutes, (int)elapsed.TotalMinutes, t.DueAt, t.WarnAt,
            t.BreachedAt, t.AchievedAt, t.OverdueMinutes, t.PolicyId);
    }

    // Customers see what concerns them: the plain status, no tags, no routing.
    private static TicketResponse Shape(
        Ticket t, PersonRef requester, List<string> tags, List<string> cc, List<LinkResponse> links, List<SlaTargetResponse> sla, Viewer viewer,
        LifecycleDefinition lifecycle)
    {
        var customerStatus = lifecycle.Find(t.Status)?.CustomerStatus ?? CustomerStatus.Open;
        using var fields = JsonDocument.Parse(t.CustomFields);
        var customFields = fields.RootElement.Clone();
        if (viewer.IsStaff)
        {
            return new TicketResponse(t.Id, t.Subject, t.Status, t.StatusCategory, customerStatus, t.Priority, t.Type, t.Channel, t.Visibility,
                requester, t.OrganizationId, t.GroupId, t.AssigneeId, tags, cc, links, customFields,
                t.CreatedAt, t.UpdatedAt, t.FirstRespondedAt, t.ResolvedAt, t.ClosedAt, t.SnoozedUntil, sla);
        }

        var visibleLinks = links.Where(l => l.Kind is TicketLinkKind.FollowUpOf or TicketLinkKind.FollowUp or TicketLinkKind.MergedInto).ToList();
        return new TicketResponse(t.Id, t.Subject, Json.EnumName(customerStatus), CategoryFor(customerStatus), customerStatus, t.Priority, t.Type,
            t.Channel, t.Visibility, requester, t.OrganizationId, null, null, [], cc, visibleLinks, customFields,
            t.CreatedAt, t.UpdatedAt, t.FirstRespondedAt, t.ResolvedAt, t.ClosedAt, null, null);
    }

    private static StatusCategory CategoryFor(CustomerStatus status) => status switch
    {
        CustomerStatus.AwaitingReply => StatusCategory.WaitingCustomer,
        CustomerStatus.Resolved => StatusCategory.Resolved,
        CustomerStatus.Closed => StatusCategory.Closed,
        _ => StatusCategory.Active,
    };

    private static TicketLinkKind Reverse(TicketLinkKind kind) => kind switch
    {
        TicketLinkKind.FollowUpOf => TicketLinkKind.FollowUp,
        TicketLinkKind.MergedInto => TicketLinkKind.MergedFrom,
        _ => kind,
    };
}
