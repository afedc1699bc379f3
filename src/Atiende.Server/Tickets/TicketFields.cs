using Atiende.Domain.Tickets;
using Atiende.Domain.Users;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tickets;

/// <summary>Validation and normalization shared by creating and updating tickets.</summary>
public static class TicketFields
{
    public static List<string>? Tags(Validation v, List<string>? tags)
    {
        if (tags is null)
        {
            return null;
        }

        var normalized = tags.Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (normalized.Count > TicketLimits.MaxTags)
        {
            v.Add("tags", $"A ticket has at most {TicketLimits.MaxTags} tags.");
        }

        foreach (var tag in normalized.Where(t => t.Length > TicketLimits.TagMaxLength || t.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || t.Contains(',', StringComparison.Ordinal)))
        {
            v.Add("tags", $"Tag '{tag}' must be at most {TicketLimits.TagMaxLength} characters with no spaces, commas or control characters.");
        }

        return normalized;
    }

    public static List<string>? Cc(Validation v, List<string>? cc)
    {
        if (cc is null)
        {
            return null;
        }

        var normalized = cc.Select(c => c.Trim().ToLowerInvariant()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (normalized.Count > TicketLimits.MaxCc)
        {
            v.Add("cc", $"A ticket has at most {TicketLimits.MaxCc} CC addresses.");
        }

        foreach (var email in normalized.Where(e => e.Length > 254 || !Validation.IsEmail(e)))
        {
            v.Add("cc", $"'{email}' is not a valid email address.");
        }

        return normalized;
    }

    public static string? Body(Validation v, string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            v.Add("body", "body is required.");
            return null;
        }

        if (body.Length > TicketLimits.BodyMaxLength)
        {
            v.Add("body", $"body must be at most {TicketLimits.BodyMaxLength} characters (got {body.Length}).");
            return null;
        }

        return v.WithoutNul("body", body) ? body : null;
    }

    public static async Task CheckGroupAsync(AtiendeDb db, Validation v, long? groupId, CancellationToken cancellationToken)
    {
        if (groupId is { } id && !await db.Groups.AnyAsync(g => g.Id == id, cancellationToken))
        {
            v.Add("groupId", $"Group {id} does not exist.");
        }
    }

    /// <summary>The assignee must be active staff and, for agents, a member of the ticket's group.</summary>
    public static async Task CheckAssigneeAsync(AtiendeDb db, Validation v, long? assigneeId, long? groupId, CancellationToken cancellationToken)
    {
        if (assigneeId is not { } id)
        {
            return;
        }

        var role = await db.Users.Where(u => u.Id == id && u.Active).Select(u => (UserRole?)u.Role).FirstOrDefaultAsync(cancellationToken);
        if (role is not (UserRole.Agent or UserRole.Admin))
        {
            v.Add("assigneeId", $"User {id} is not an active agent or admin.");
        }
        else if (role == UserRole.Agent && groupId is { } group
                 && !await db.GroupMembers.AnyAsync(m => m.GroupId == group && m.UserId == id, cancellationToken))
        {
            v.Add("assigneeId", $"Agent {id} is not a member of group {group}.");
        }
    }

    public static List<Atiende.Domain.Lifecycle.FieldChange> SetTags(Ticket ticket, List<string> tags)
    {
        var current = ticket.Tags.Select(t => t.Name).ToList();
        if (current.Order(StringComparer.Ordinal).SequenceEqual(tags.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return [];
        }

        ticket.Tags.RemoveAll(t => !tags.Contains(t.Name, StringComparer.Ordinal));
        ticket.Tags.AddRange(tags.Where(t => !current.Contains(t, StringComparer.Ordinal)).Select(t => new TicketTag { TicketId = ticket.Id, Name = t }));
        return [new("tags", string.Join(",", current.Order(StringComparer.Ordinal)), string.Join(",", tags.Order(StringComparer.Ordinal)))];
    }

    public static List<Atiende.Domain.Lifecycle.FieldChange> SetCc(Ticket ticket, List<string> cc)
    {
        var current = ticket.Cc.Select(c => c.Email).ToList();
        if (current.Order(StringComparer.Ordinal).SequenceEqual(cc.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return [];
        }

        ticket.Cc.RemoveAll(c => !cc.Contains(c.Email, StringComparer.Ordinal));
        ticket.Cc.AddRange(cc.Where(c => !current.Contains(c, StringComparer.Ordinal)).Select(c => new TicketCc { TicketId = ticket.Id, Email = c }));
        return [new("cc", string.Join(",", current.Order(StringComparer.Ordinal)), string.Join(",", cc.Order(StringComparer.Ordinal)))];
    }
}
