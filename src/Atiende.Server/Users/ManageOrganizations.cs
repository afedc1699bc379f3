using System.Text.Json;
using Atiende.Domain.Users;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Users;

public static class ManageOrganizations
{
    public sealed record Request(string? Name, bool? SharesTickets);

    public sealed record OrganizationResponse(long Id, string Name, bool SharesTickets, DateTimeOffset CreatedAt);

    public static async Task<Results<Created<OrganizationResponse>, ProblemHttpResult>> Create(
        Request request, AtiendeDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var v = new Validation();
        var name = v.Required("name", request.Name, 200);
        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        if (await db.Organizations.AnyAsync(o => o.Name == name, cancellationToken))
        {
            return Problems.Conflict($"An organization named '{name}' already exists.");
        }

        var org = new Organization { Name = name!, SharesTickets = request.SharesTickets ?? false, CreatedAt = clock.GetUtcNow() };
        db.Organizations.Add(org);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/organizations/{org.Id}", ToResponse(org));
    }

    public static async Task<Ok<Page<OrganizationResponse>>> List(AtiendeDb db, int? limit, long? after, CancellationToken cancellationToken)
    {
        var take = Math.Clamp(limit ?? 100, 1, 500);
        var rows = await db.Organizations.AsNoTracking().Where(o => after == null || o.Id > after).OrderBy(o => o.Id).Take(take + 1)
            .Select(o => new OrganizationResponse(o.Id, o.Name, o.SharesTickets, o.CreatedAt)).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<OrganizationResponse>(rows.Take(take).ToList(), rows.Count > take ? rows[take - 1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
    }

    public static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> Get(long id, AtiendeDb db, CancellationToken cancellationToken)
    {
        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        return org is null ? Problems.NotFound($"Organization {id}") : TypedResults.Ok(ToResponse(org));
    }

    public static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> Update(
        long id, JsonElement body, AtiendeDb db, ViewerCache cache, CancellationToken cancellationToken)
    {
        var v = new Validation();
        var patch = Patch.Read(body, v, "name", "sharesTickets");
        var org = await db.Organizations.FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (org is null)
        {
            return Problems.NotFound($"Organization {id}");
        }

        if (patch.Has("name"))
        {
            var name = v.Required("name", patch.String("name"), 200);
            if (name is not null && await db.Organizations.AnyAsync(o => o.Name == name && o.Id != id, cancellationToken))
            {
                return Problems.Conflict($"An organization named '{name}' already exists.");
            }

            org.Name = name ?? org.Name;
        }

        if (patch.Has("sharesTickets"))
        {
            org.SharesTickets = patch.Bool("sharesTickets") ?? false;
        }

        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        return TypedResults.Ok(ToResponse(org));
    }

    private static OrganizationResponse ToResponse(Organization o) => new(o.Id, o.Name, o.SharesTickets, o.CreatedAt);
}
