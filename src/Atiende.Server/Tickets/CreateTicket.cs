using System.Security.Claims;
using System.Text.Json;
using Atiende.Domain.Access;
using Atiende.Domain.Lifecycle;
using Atiende.Domain.Tickets;
using Atiende.Domain.Users;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Atiende.Server.Sla;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tickets;

/// <summary>
/// A customer's request becomes a ticket. A customer is always the requester of what it creates; an agent names the
/// requester (created as a customer when unknown) and says whether the body is the requester's words it logged
/// (direction inbound, the default: a phone call) or its own message to the requester (outbound: answered).
/// </summary>
public static class CreateTicket
{
    public sealed record RequesterRequest(string? Email, string? Name);

    public sealed record Request(
        string? Subject,
        string? Body,
        RequesterRequest? Requester,
        string? Priority,
        string? Type,
        string? Channel,
        long? GroupId,
        long? AssigneeId,
        List<string>? Tags,
        List<string>? Cc,
        string? Visibility,
        string? Direction,
        JsonElement? CustomFields);

    public static async Task<Results<Created<TicketResponse>, ProblemHttpResult>> Handle(
        Request request, ClaimsPrincipal principal, AtiendeDb db, LifecycleDefinition lifecycle, ArticleContent content,
        SlaTracking sla, GroupCommit commits, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var viewer = principal.Viewer();
        var v = new Validation();
        var subject = v.Required("subject", request.Subject, TicketLimits.SubjectMaxLength);
        var body = TicketFields.Body(v, request.Body);
        var priority = v.Enum<TicketPriority>("priority", request.Priority) ?? TicketPriority.Normal;
        var type = v.Enum<TicketType>("type", request.Type) ?? TicketType.Question;
        var channel = v.Enum<Channel>("channel", request.Channel) ?? Channel.Api;
        var visibility = v.Enum<TicketVisibility>("visibility", request.Visibility) ?? TicketVisibility.Public;
        var outbound = request.Direction switch
        {
            null or "inbound" => false,
            "outbound" => true,
            _ => Invalid(v, "direction", $"direction '{request.Direction}' is not one of: inbound, outbound."),
        };
        var tags = TicketFields.Tags(v, request.Tags) ?? [];
        var cc = TicketFields.Cc(v, request.Cc) ?? [];
        var customFields = request.CustomFields is { ValueKind: not JsonValueKind.Null } fields ? fields : (JsonElement?)null;
        if (customFields is { ValueKind: not JsonValueKind.Object })
        {
            v.Add("customFields", "customFields must be a JSON object.");
        }

        if (viewer.IsCustomer)
        {
            RefuseForCustomers(v, request, channel);
        }
        else
        {
            v.Email("requester.email", request.Requester?.Email);
            v.MaxLength("requester.name", request.Requester?.Name, 200);
            await TicketFields.CheckGroupAsync(db, v, request.GroupId, cancellationToken);
            await TicketFields.CheckAssigneeAsync(db, v, request.AssigneeId, request.GroupId, cancellationToken);
        }

        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        // A requester met for the first time is created in the same transaction as its ticket; when two requests race
        // to create the same customer, the loser starts over and finds it. A failed group commit also starts over, alone.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var (ticket, requester) = await CreateAsync(request, viewer, subject!, body!, priority, type, channel, visibility, outbound, tags, cc,
                    customFields, db, lifecycle, content, sla, attempt == 0 ? commits : null, clock.GetUtcNow(), cancellationToken);
                http.Response.Headers.ETag = ETags.For(ticket.Version);
                return TypedResults.Created($"/api/v1/tickets/{ticket.Id}", TicketResponses.ForNew(ticket, requester, viewer, lifecycle, clock.GetUtcNow()));
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<(Ticket Ticket, User Requester)> CreateAsync(
        Request request, Viewer viewer, string subject, string body, TicketPriority priority, TicketType type, Channel channel,
        TicketVisibility visibility, bool outbound, List<string> tags, List<string> cc, JsonElement? customFields, AtiendeDb db,
        LifecycleDefinition lifecycle, ArticleContent content, SlaTracking sla, GroupCommit? commits, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var email = viewer.IsCustomer ? null : request.Requester!.Email!.Trim().ToLowerInvariant();
        var requester = viewer.IsCustomer
            ? await db.Users.FirstAsync(u => u.Id == viewer.UserId, cancellationToken)
            : await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        await using var transaction = requester is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (requester is null)
        {
            requester = NewCustomer(email!, request.Requester!.Name, now);
            db.Users.Add(requester);
            await db.SaveChangesAsync(cancellationToken);
        }

        var ticket = new Ticket
        {
            Subject = subject,
            Status = "",
            Priority = priority,
            Type = type,
            Channel = channel,
            Visibility = visibility,
            RequesterId = requester.Id,
            OrganizationId = requester.OrganizationId,
            GroupId = request.GroupId,
            CustomFields = customFields?.GetRawText() ?? "{}",
            Tags = tags.Select(t => new TicketTag { Name = t }).ToList(),
            Cc = cc.Select(c => new TicketCc { Email = c }).ToList(),
        };
        Lifecycle.Start(lifecycle, ticket, outbound ? LifecycleEvent.CreatedWithAgentReply : LifecycleEvent.CreatedByCustomer, now);
        TicketHistory.Record(ticket, HistoryKind.Created, viewer.UserId, now, ticket.Status);

        if (request.AssigneeId is { } assignee)
        {
            ticket.AssigneeId = assignee;
            TicketHistory.Record(ticket, [new FieldChange("assigneeId", null, assignee.ToString(System.Globalization.CultureInfo.InvariantCulture))], viewer.UserId, now);
            TicketHistory.Record(ticket, Lifecycle.Apply(lifecycle, ticket, LifecycleEvent.Assigned, now).Changes, viewer.UserId, now);
        }

        var (text, html) = content.Render(body);
        ticket.Articles.Add(new Article
        {
            AuthorId = outbound || viewer.IsCustomer ? viewer.UserId : requester.Id,
            CreatedById = viewer.IsCustomer ? null : viewer.UserId,
            Internal = false,
            Channel = channel,
            BodyText = text,
            BodyHtml = html,
            CreatedAt = now,
        });
        TicketHistory.Record(ticket, HistoryKind.ArticleAdded, viewer.UserId, now, "public");

        await sla.ReconcileAsync(db, ticket, now, cancellationToken);
        db.Tickets.Add(ticket);
        if (commits is null)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            await commits.SaveAsync(db, cancellationToken); // saved directly inside the new requester's transaction
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return (ticket, requester);
    }

    public static User NewCustomer(string email, string? name, DateTimeOffset now) => new()
    {
        Email = email,
        Name = string.IsNullOrWhiteSpace(name) ? email.Split('@')[0] : name.Trim(),
        Role = UserRole.Customer,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static void RefuseForCustomers(Validation v, Request request, Channel channel)
    {
        if (request.Requester is not null)
        {
            v.Add("requester", "Customers are always the requester of the tickets they create.");
        }

        foreach (var (field, isSet) in new[]
                 {
                     ("groupId", request.GroupId is not null), ("assigneeId", request.AssigneeId is not null),
                     ("tags", request.Tags is { Count: > 0 }), ("visibility", request.Visibility is not null),
                     ("direction", request.Direction is not null),
                 })
        {
            if (isSet)
            {
                v.Add(field, $"Customers cannot set {field}.");
            }
        }

        if (channel is not (Channel.Web or Channel.Api))
        {
            v.Add("channel", "Customers create tickets through the web or the API.");
        }
    }

    private static bool Invalid(Validation v, string field, string message)
    {
        v.Add(field, message);
        return false;
    }
}
