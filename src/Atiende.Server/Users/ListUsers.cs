using Atiende.Domain.Users;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Users;

public static class ListUsers
{
    public static async Task<Results<Ok<Page<UserResponse>>, ProblemHttpResult>> Handle(
        AtiendeDb db, string? role, long? organizationId, string? q, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var v = new Validation();
        var parsedRole = v.Enum<UserRole>("role", role);
        v.WithoutNul("q", q);
        var take = Math.Clamp(limit ?? 50, 1, 200);
        Cursor after = default;
        if (cursor is not null && !Cursor.TryDecode(cursor, out after))
        {
            v.Add("cursor", "cursor is not one this API returned.");
        }

        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        var query = db.Users.AsNoTracking();
        if (parsedRole is { } r)
        {
            query = query.Where(u => u.Role == r);
        }

        if (organizationId is { } org)
        {
            query = query.Where(u => u.OrganizationId == org);
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            // A prefix of the email uses the unique index on Email.
            var prefix = q.Trim().ToLowerInvariant();
            query = query.Where(u => u.Email.StartsWith(prefix));
        }

        if (cursor is not null)
        {
            query = query.Where(u => u.Id > after.Id);
        }

        var rows = await query.OrderBy(u => u.Id).Take(take + 1).Select(UserResponse.Projection).ToListAsync(cancellationToken);
        var next = rows.Count > take ? new Cursor(0, rows[take - 1].Id).Encode() : null;
        return TypedResults.Ok(new Page<UserResponse>(rows.Take(take).ToList(), next));
    }
}
