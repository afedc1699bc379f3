using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Atiende.Domain.Lifecycle;
using Atiende.Domain.Tickets;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Mail;
using Atiende.Server.Shared;
using Atiende.Server.Sla;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tickets;

/// <summary>An agent changes ticket fields (merge-patch). If-Match is required so a concurrent change is never lost.</summary>
public static class UpdateTicket
{
    private static readonly string[] Fields =
        ["subject", "status", "priority", "type", "visibility", "groupId", "assigneeId", "tags", "cc", "snoozedUntil", "customFields"];

    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> Handle(
        long id, JsonElement body, ClaimsPrincipal principal, AtiendeDb db, LifecycleDefinition lifecycle, SlaTracking sla, MailOutbound mail,
        TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var viewer = principal.Viewer();
        var v = new Validation();
        var patch = Patch.Read(body, v, Fields);
        var subject = patch.Has("subject") ? v.Required("subject", patch.String("subject"), TicketLimits.SubjectMaxLength) : null;
        var status = patch.Has("status") ? patch.String("status") ?? Invalid(v, "status", "status cannot be null.") : null;
        var priority = v.Enum<TicketPriority>("priority", patch.String("priority"));
        var type = v.Enum<TicketType>("type", patch.String("type"));
        var visibility = v.Enum<TicketVisibility>("visibility", patch.String("visibility"));
        var groupId = patch.Long("groupId");
        var assigneeId = patch.Long("assigneeId");
        var tags = TicketFields.Tags(v, patch.Strings("tags"));
        var cc = TicketFields.Cc(v, patch.Strings("cc"));
        var snoozedUntil = patch.Time("snoozedUntil");
        var customFields = patch.Has("customFields") && body.GetProperty("customFields") is var fields ? fields : (JsonElement?)null;
        if (customFields is { ValueKind: not JsonValueKind.Object })
        {
            v.Add("customFields", "customFields must be a JSON object.");
        }

        if (snoozedUntil is not null && status is not null && status != DefaultLifecycle.Snoozed)
        {
            v.Add("snoozedUntil", "snoozedUntil goes with status 'snoozed' (or alone, on a snoozed ticket).");
        }

        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        var ticket = await db.VisibleTickets(viewer).Include(t => t.Tags).Include(t => t.Cc).Include(t => t.SlaTargets).AsSplitQuery().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return Problems.NotFound($"Ticket {id}");
        }

        switch (ETags.Matches(http.Request, ticket.Version))
        {
            case null:
                return Problems.MissingIfMatch();
            case false:
                return Problems.StaleVersion();
        }

        if (ticket.StatusCategory == StatusCategory.Closed)
        {
            return Problems.Conflict($"Ticket #{id} is closed and can no longer change; a customer reply opens a follow-up ticket.");
        }

        var newGroup = patch.Has("groupId") ? groupId : ticket.GroupId;
        await TicketFields.CheckGroupAsync(db, v, patch.Has("groupId") ? groupId : null, cancellationToken);
        await TicketFields.CheckAssigneeAsync(db, v, patch.Has("assigneeId") ? assigneeId : patch.Has("groupId") ? ticket.AssigneeId : null, newGroup, cancellationToken);
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        var now = clock.GetUtcNow();
        var changes = new List<FieldChange>();
        Set(changes, "subject", ticket.Subject, subject, x => ticket.Subject = x!);
        Set(changes, "priority", Name(ticket.Priority), priority is { } p ? Name(p) : null, _ => ticket.Priority = priority!.Value);
        Set(changes, "type", Name(ticket.Type), type is { } ty ? Name(ty) : null, _ => ticket.Type = type!.Value);
        Set(changes, "visibility", Name(ticket.Visibility), visibility is { } vi ? Name(vi) : null, _ => ticket.Visibility = visibility!.Value);
        if (patch.Has("groupId") && ticket.GroupId != groupId)
        {
            changes.Add(new FieldChange("groupId", Id(ticket.GroupId), Id(groupId)));
            ticket.GroupId = groupId;
        }

        if (patch.Has("assigneeId") && ticket.AssigneeId != assigneeId)
        {
            changes.Add(new FieldChange("assigneeId", Id(ticket.AssigneeId), Id(assigneeId)));
            ticket.AssigneeId = assigneeId;
            if (assigneeId is not null)
            {
                changes.AddRange(Lifecycle.Apply(lifecycle, ticket, LifecycleEvent.Assigned, now).Changes);
            }
        }

        if (tags is not null)
        {
            changes.AddRange(TicketFields.SetTags(ticket, tags));
        }

        if (cc is not null)
        {
            changes.AddRange(TicketFields.SetCc(ticket, cc));
        }

        if (customFields is { } custom && custom.GetRawText() != ticket.CustomFields)
        {
            changes.Add(new FieldChange("customFields", ticket.CustomFields, custom.GetRawText()));
            ticket.CustomFields = custom.GetRawText();
        }

        var outcome = status is not null
            ? Lifecycle.SetStatus(lifecycle, ticket, status, snoozedUntil, now)
            : snoozedUntil is { } until ? Lifecycle.Resnooze(ticket, until, now) : null;
        if (outcome is { Allowed: false })
        {
            return lifecycle.Find(status ?? "") is null && status is not null
                ? Problems.Invalid("status", outcome.Rejection!)
                : Problems.Conflict(outcome.Rejection!);
        }

        changes.AddRange(outcome?.Changes ?? []);
        if (changes.Count > 0)
        {
            TicketHistory.Touch(ticket, now);
            TicketHistory.Record(ticket, changes, viewer.UserId, now);
            await sla.ReconcileAsync(db, ticket, now, cancellationToken);
            await mail.EnqueueStatusNoticesAsync(db, ticket, changes, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Problems.StaleVersion();
            }
        }

        http.Response.Headers.ETag = ETags.For(ticket.Version);
        return TypedResults.Ok(await TicketResponses.LoadAsync(db, ticket, viewer, lifecycle, now, cancellationToken));
    }

    private static void Set(List<FieldChange> changes, string field, string? current, string? requested, Action<string?> apply)
    {
        if (requested is not null && !string.Equals(current, requested, StringComparison.Ordinal))
        {
            changes.Add(new FieldChange(field, current, requested));
            apply(requested);
        }
    }

    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => Json.EnumName(value);

    private static string? Id(long? id) => id?.ToString(CultureInfo.InvariantCulture);

    private static string? Invalid(Validation v, string field, string message)
    {
        v.Add(field, message);
        return null;
    }
}
