using System.Linq.Expressions;
using Atiende.Domain.Lifecycle;
using Atiende.Domain.Tickets;
using Atiende.Domain.Users;

namespace Atiende.Domain.Access;

/// <summary>Who is looking: everything a permission decision needs, loaded once per request.</summary>
public sealed record Viewer(long UserId, string Name, UserRole Role, long? OrganizationId, bool OrganizationShares, IReadOnlyList<long> GroupIds)
{
    public bool IsCustomer => Role == UserRole.Customer;
    public bool IsStaff => Role is UserRole.Agent or UserRole.Admin;
    public bool IsAdmin => Role == UserRole.Admin;
}

/// <summary>
/// The one place that says who sees which ticket. It is an expression so the database applies it,
/// and a forbidden ticket is indistinguishable from a missing one.
/// </summary>
public static class TicketAccess
{
    public static Expression<Func<Ticket, bool>> VisibleTo(Viewer viewer)
    {
        var me = viewer.UserId;
        switch (viewer.Role)
        {
            case UserRole.Admin:
                return t => true;
            case UserRole.Agent:
                // Tickets not yet routed to a group are everyone's to pick up.
                var groups = viewer.GroupIds.ToList();
                return t => t.GroupId == null || groups.Contains(t.GroupId.Value) || t.AssigneeId == me;
            default:
                var org = viewer.OrganizationShares ? viewer.OrganizationId : null;
                return t => t.Visibility == TicketVisibility.Public
                    && t.StatusCategory != StatusCategory.Removed
                    && (t.RequesterId == me || (org != null && t.OrganizationId == org));
        }
    }

    public static bool CanSeeArticle(Viewer viewer, Article article) => viewer.IsStaff || !article.Internal;

    public static bool CanSeeHistory(Viewer viewer, HistoryEvent entry) => viewer.IsStaff || !entry.Internal;

    /// <summary>History of these fields is shown to the requester; every other change is internal.</summary>
    public static bool IsCustomerVisibleField(string? field) => field is "status" or "priority" or "type" or "subject" or "cc";
}
