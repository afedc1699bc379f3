using System.Security.Claims;
using Atiende.Domain.Access;
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

/// <summary>
/// A reply or an internal note. Agents' public replies move the ticket (answered, or the status they pick);
/// a customer's reply reopens it, and a customer's reply to a closed ticket starts a follow-up ticket linked to it.
/// </summary>
public static class AddArticle
{
    public sealed record Request(string? Body, bool? Internal, string? Status, string? Channel);

    public sealed record Response(ArticleResponse Article, long TicketId, bool FollowUpCreated);

    public static async Task<Results<Created<Response>, ProblemHttpResult>> Handle(
        long id, Request request, ClaimsPrincipal principal, AtiendeDb db, LifecycleDefinition lifecycle, ArticleContent content,
        SlaTracking sla, MailOutbound mail, TimeProvider clock, CancellationToken cancellationToken)
    {
        var viewer = principal.Viewer();
        var v = new Validation();
        var body = TicketFields.Body(v, request.Body);
        var channel = v.Enum<Channel>("channel", request.Channel);
        var isInternal = request.Internal ?? false;
        if (viewer.IsCustomer && isInternal)
        {
            v.Add("internal", "Customers cannot write internal notes.");
        }

        if (viewer.IsCustomer && request.Status is not null)
        {
            v.Add("status", "Customers cannot set the status; confirm a resolution with POST /tickets/{id}/confirm.");
        }

        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        var (text, html) = content.Render(body!);

        // Appending never needs If-Match: on a concurrent change we reload and apply the reply again, so it is never lost.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await AddAsync(id, viewer, isInternal, request.Status, channel, text, html, db, lifecycle, sla, mail, clock.GetUtcNow(), cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<Results<Created<Response>, ProblemHttpResult>> AddAsync(
        long id, Viewer viewer, bool isInternal, string? status, Channel? channel, string text, string html,
        AtiendeDb db, LifecycleDefinition lifecycle, SlaTracking sla, MailOutbound mail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ticket = await db.VisibleTickets(viewer).Include(t => t.Tags).Include(t => t.SlaTargets).AsSplitQuery()
            .FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return Problems.NotFound($"Ticket {id}");
        }

        LifecycleOutcome outcome;
        if (viewer.IsCustomer)
        {
            outcome = Lifecycle.Apply(lifecycle, ticket, LifecycleEvent.CustomerReplied, now);
        }
        else if (isInternal)
        {
            outcome = status is null
                ? ticket.StatusCategory == StatusCategory.Closed
                    ? LifecycleOutcome.Rejected($"Ticket #{id} is closed and can no longer change.")
                    : new LifecycleOutcome([])
                : Lifecycle.SetStatus(lifecycle, ticket, status, null, now);
        }
        else
        {
            outcome = Lifecycle.Apply(lifecycle, ticket, LifecycleEvent.AgentReplied, now, status);
        }

        if (!outcome.Allowed)
        {
            return status is not null && lifecycle.Find(status) is null
                ? Problems.Invalid("status", outcome.Rejection!)
                : Problems.Conflict(outcome.Rejection!);
        }

        if (outcome.NeedsFollowUp)
        {
            return await FollowUpAsync(ticket, viewer, channel, text, html, db, lifecycle, sla, now, cancellationToken);
        }

        var article = NewArticle(ticket.Id, viewer, isInternal, channel ?? Channel.Api, text, html, now);
        ticket.Articles.Add(article);
        TicketHistory.Touch(ticket, now);
        TicketHistory.Record(ticket, HistoryKind.ArticleAdded, viewer.UserId, now, isInternal ? "internal" : "public", isInternal);
        TicketHistory.Record(ticket, outcome.Changes, viewer.UserId, now);
        await sla.ReconcileAsync(db, ticket, now, cancellationToken);
        if (viewer.IsStaff)
        {
            await mail.EnqueueAgentReplyAsync(db, ticket, article, cancellationToken);
        }

        await mail.EnqueueStatusNoticesAsync(db, ticket, outcome.Changes, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return Created(ticket.Id, article, viewer, followUp: false, MailDelivery.Of(db, article));
    }

    /// <summary>The closed ticket stays as it was; its follow-up takes the message, the requester and the routing.</summary>
    private static async Task<Results<Created<Response>, ProblemHttpResult>> FollowUpAsync(
        Ticket closed, Viewer viewer, Channel? channel, string text, string html, AtiendeDb db, LifecycleDefinition lifecycle,
        SlaTracking sla, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var article = NewArticle(0, viewer, false, channel ?? closed.Channel, text, html, now);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var followUp = await FollowUps.CreateAsync(db, closed, article, viewer.UserId, lifecycle, sla, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Created(followUp.Id, article, viewer, followUp: true, delivery: null);
    }

    private static Article NewArticle(long ticketId, Viewer viewer, bool isInternal, Channel channel, string text, string html, DateTimeOffset now) => new()
    {
        TicketId = ticketId,
        AuthorId = viewer.UserId,
        Internal = isInternal,
        Channel = channel,
        BodyText = text,
        BodyHtml = html,
        CreatedAt = now,
    };

    private static Created<Response> Created(long ticketId, Article article, Viewer viewer, bool followUp, ArticleDelivery? delivery) =>
        TypedResults.Created(
            $"/api/v1/tickets/{ticketId}/articles",
            new Response(new ArticleResponse(article.Id, ticketId, article.BodyText, article.BodyHtml, article.Internal, article.Channel,
                new AuthorRef(viewer.UserId, viewer.Name, viewer.Role), article.CreatedAt, [], delivery), ticketId, followUp));
}
