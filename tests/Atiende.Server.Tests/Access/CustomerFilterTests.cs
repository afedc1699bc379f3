using Atiende.Server.Tests.Infrastructure;

namespace Atiende.Server.Tests.Access;

public sealed class CustomerFilterTests
{
    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Customer_FiltersByTheStatusesTheySee_AndCannotProbeInternalStates(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var held = (await customer.Client.CreateTicketAsync(new { subject = "On hold inside", body = "b" })).Id();
        await agent.Client.PatchTicketAsync(held, new { status = "on_hold" });
        var answered = (await customer.Client.CreateTicketAsync(new { subject = "Answered", body = "b" })).Id();
        await agent.Client.ReplyAsync(answered, "Can you check?");

        var open = await customer.Client.ItemsAsync("tickets?status=open");
        Assert.Contains(open, t => t.Id() == held);
        Assert.DoesNotContain(open, t => t.Id() == answered);
        Assert.Equal([answered], (await customer.Client.ItemsAsync("tickets?status=awaiting_reply")).Select(t => t.Id()));

        foreach (var probe in new[] { "status=on_hold", "statusCategory=waiting_internal", "tag=vip", "assigneeId=none", $"groupId=1" })
        {
            var response = await customer.Client.GetAsync($"tickets?{probe}");
            await response.EnsureStatus(System.Net.HttpStatusCode.UnprocessableEntity);
        }
    }
}
