namespace Atiende.Server.Users;

public static class UsersApi
{
    public const string StaffOnly = "staff";
    public const string AdminOnly = "admin";

    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapPost("/", CreateUser.Handle).RequireAuthorization(StaffOnly)
            .WithName("CreateUser").WithSummary("Create a user (agents may create customers only).");
        users.MapGet("/", ListUsers.Handle).RequireAuthorization(StaffOnly)
            .WithName("ListUsers").WithSummary("List users, filtered by role, organization or email prefix.");
        users.MapGet("/{id:long}", GetUser.Handle).WithName("GetUser").WithSummary("One user; customers see only themselves.");
        users.MapPatch("/{id:long}", UpdateUser.Handle).WithName("UpdateUser").WithSummary("Change a user (merge-patch).");

        var organizations = api.MapGroup("/organizations").WithTags("Organizations").RequireAuthorization(StaffOnly);
        organizations.MapPost("/", ManageOrganizations.Create).RequireAuthorization(AdminOnly)
            .WithName("CreateOrganization").WithSummary("Create an organization.");
        organizations.MapGet("/", ManageOrganizations.List).WithName("ListOrganizations").WithSummary("List organizations.");
        organizations.MapGet("/{id:long}", ManageOrganizations.Get).WithName("GetOrganization").WithSummary("One organization.");
        organizations.MapPatch("/{id:long}", ManageOrganizations.Update).RequireAuthorization(AdminOnly)
            .WithName("UpdateOrganization").WithSummary("Rename an organization or change whether it shares tickets.");

        var groups = api.MapGroup("/groups").WithTags("Groups").RequireAuthorization(StaffOnly);
        groups.MapPost("/", ManageGroups.Create).RequireAuthorization(AdminOnly).WithName("CreateGroup").WithSummary("Create a group (team).");
        groups.MapGet("/", ManageGroups.List).WithName("ListGroups").WithSummary("List groups.");
        groups.MapGet("/{id:long}", ManageGroups.Get).WithName("GetGroup").WithSummary("One group.");
        groups.MapPatch("/{id:long}", ManageGroups.Update).RequireAuthorization(AdminOnly)
            .WithName("UpdateGroup").WithSummary("Rename a group, change its description or lead.");
        groups.MapGet("/{id:long}/members", ManageGroups.ListMembers).WithName("ListGroupMembers").WithSummary("Members of a group.");
        groups.MapPost("/{id:long}/members", ManageGroups.AddMember).RequireAuthorization(AdminOnly)
            .WithName("AddGroupMember").WithSummary("Add an agent to a group.");
        groups.MapDelete("/{id:long}/members/{userId:long}", ManageGroups.RemoveMember).RequireAuthorization(AdminOnly)
            .WithName("RemoveGroupMember").WithSummary("Remove an agent from a group.");
        return api;
    }
}
