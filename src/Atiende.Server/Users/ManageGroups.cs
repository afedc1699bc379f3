using System.Text.Json;
using Atiende.Domain.Users;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Users;

public static class ManageGroups
{
    public sealed record Request(string? Name, string? Description, long? LeadId);

    public sealed record MemberRequest(long? UserId);

    public sealed record GroupResponse(long Id, string Name, string Description, long? LeadId, DateTimeOffset CreatedAt);

    public sealed record MemberResponse(long Id, string Email, string Name, UserRole Role);

    public static async Task<Results<Created<GroupResponse>, ProblemHttpResult>> Create(
        Request request, AtiendeDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var v = new Validation();
        var name = v.Required("name", request.Name, 200);
        var description = v.MaxLength("description", request.Description, 2000) ?? "";
        if (request.LeadId is { } lead && !await IsStaffAsync(db, lead, cancellationToken))
        {
            v.Add("leadId", $"User {lead} is not an active agent or admin.");
        }

        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        if (await db.Groups.AnyAsync(g => g.Name == name, cancellationToken))
        {
            return Problems.Conflict($"A group named '{name}' already exists.");
        }

        var group = new Group { Name = name!, Description = description, LeadId = request.LeadId, CreatedAt = clock.GetUtcNow() };
        db.Groups.Add(group);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/groups/{group.Id}", ToResponse(group));
    }

    public static async Task<Ok<Page<GroupResponse>>> List(AtiendeDb db, CancellationToken cancellationToken)
    {
        var rows = await db.Groups.AsNoTracking().OrderBy(g => g.Id).Take(1000)
            .Select(g => new GroupResponse(g.Id, g.Name, g.Description, g.LeadId, g.CreatedAt)).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<GroupResponse>(rows, null));
    }

    public static async Task<Results<Ok<GroupResponse>, ProblemHttpResult>> Get(long id, AtiendeDb db, CancellationToken cancellationToken)
    {
        var group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, cancellationToken);
        return group is null ? Problems.NotFound($"Group {id}") : TypedResults.Ok(ToResponse(group));
    }

    public static async Task<Results<Ok<GroupResponse>, ProblemHttpResult>> Update(
        long id, JsonElement body, AtiendeDb db, CancellationToken cancellationToken)
    {
        var v = new Validation();
        var patch = Patch.Read(body, v, "name", "description", "leadId");
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (group is null)
        {
            return Problems.NotFound($"Group {id}");
        }

        if (patch.Has("name"))
        {
            var name = v.Required("name", patch.String("name"), 200);
            if (name is not null && await db.Groups.AnyAsync(g => g.Name == name && g.Id != id, cancellationToken))
            {
                return Problems.Conflict($"A group named '{name}' already exists.");
            }

            group.Name = name ?? group.Name;
        }

        if (patch.Has("description"))
        {
            group.Description = v.MaxLength("description", patch.String("description"), 2000) ?? "";
        }

        if (patch.Has("leadId"))
        {
            var lead = patch.Long("leadId");
            if (lead is not null && !await IsStaffAsync(db, lead.Value, cancellationToken))
            {
                v.Add("leadId", $"User {lead} is not an active agent or admin.");
            }

            group.LeadId = lead;
        }

        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(group));
    }

    public static async Task<Results<Ok<Page<MemberResponse>>, ProblemHttpResult>> ListMembers(long id, AtiendeDb db, CancellationToken cancellationToken)
    {
        if (!await db.Groups.AnyAsync(g => g.Id == id, cancellationToken))
        {
            return Problems.NotFound($"Group {id}");
        }

        var rows = await (
                from m in db.GroupMembers
                where m.GroupId == id
                join u in db.Users on m.UserId equals u.Id
                orderby u.Id
                select new MemberResponse(u.Id, u.Email, u.Name, u.Role))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<MemberResponse>(rows, null));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> AddMember(
        long id, MemberRequest request, AtiendeDb db, ViewerCache cache, CancellationToken cancellationToken)
    {
        if (!await db.Groups.AnyAsync(g => g.Id == id, cancellationToken))
        {
            return Problems.NotFound($"Group {id}");
        }

        if (request.UserId is not { } userId || !await IsStaffAsync(db, userId, cancellationToken))
        {
            return Problems.Invalid("userId", $"User {request.UserId} is not an active agent or admin.");
        }

        if (!await db.GroupMembers.AnyAsync(m => m.GroupId == id && m.UserId == userId, cancellationToken))
        {
            db.GroupMembers.Add(new GroupMember { GroupId = id, UserId = userId });
            await db.SaveChangesAsync(cancellationToken);
            cache.Invalidate();
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(
        long id, long userId, AtiendeDb db, ViewerCache cache, CancellationToken cancellationToken)
    {
        var removed = await db.GroupMembers.Where(m => m.GroupId == id && m.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            return Problems.NotFound($"Member {userId} of group {id}");
        }

        cache.Invalidate();
        return TypedResults.NoContent();
    }

    private static Task<bool> IsStaffAsync(AtiendeDb db, long userId, CancellationToken cancellationToken) =>
        db.Users.AnyAsync(u => u.Id == userId && u.Active && (u.Role == UserRole.Agent || u.Role == UserRole.Admin), cancellationToken);

    private static GroupResponse ToResponse(Group g) => new(g.Id, g.Name, g.Description, g.LeadId, g.CreatedAt);
}
