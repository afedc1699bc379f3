using Atiende.Server.Users;

namespace Atiende.Server.Sla;

public static class SlaApi
{
    public static void AddSla(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SlaCache>();
        builder.Services.AddSingleton<SlaTracking>();
    }

    public static RouteGroupBuilder MapSlaApi(this RouteGroupBuilder api)
    {
        var calendars = api.MapGroup("/admin/calendars").WithTags("SLA").RequireAuthorization(UsersApi.AdminOnly);
        calendars.MapPost("/", ManageCalendars.Create).WithName("CreateCalendar").WithSummary("Create a business calendar (zone, weekly hours, holidays).");
        calendars.MapGet("/", ManageCalendars.List).WithName("ListCalendars").WithSummary("List business calendars.");
        calendars.MapGet("/{id:long}", ManageCalendars.Get).WithName("GetCalendar").WithSummary("One business calendar.");
        calendars.MapPut("/{id:long}", ManageCalendars.Replace).WithName("ReplaceCalendar").WithSummary("Replace a business calendar.");
        calendars.MapDelete("/{id:long}", ManageCalendars.Delete).WithName("DeleteCalendar").WithSummary("Delete a calendar no policy uses.");

        var policies = api.MapGroup("/admin/sla-policies").WithTags("SLA").RequireAuthorization(UsersApi.AdminOnly);
        policies.MapPost("/", ManageSlaPolicies.Create).WithName("CreateSlaPolicy").WithSummary("Create an SLA policy: conditions, targets, escalation.");
        policies.MapGet("/", ManageSlaPolicies.List).WithName("ListSlaPolicies").WithSummary("SLA policies in matching order.");
        policies.MapGet("/{id:long}", ManageSlaPolicies.Get).WithName("GetSlaPolicy").WithSummary("One SLA policy.");
        policies.MapPut("/{id:long}", ManageSlaPolicies.Replace).WithName("ReplaceSlaPolicy").WithSummary("Replace an SLA policy.");
        policies.MapDelete("/{id:long}", ManageSlaPolicies.Delete).WithName("DeleteSlaPolicy").WithSummary("Delete an SLA policy.");
        return api;
    }
}
