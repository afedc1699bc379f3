using Atiende.Domain.Lifecycle;
using Atiende.Domain.Sla;
using Atiende.Domain.Tickets;
using Rules = Atiende.Domain.Lifecycle.Lifecycle;

namespace Atiende.Domain.Tests.Sla;

public sealed class SlaPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero); // a Monday
    private static readonly LifecycleDefinition Definition = DefaultLifecycle.Definition;
    private static readonly BusinessClock AlwaysOpen = new(BusinessCalendar.AlwaysOpen, TimeZoneInfo.Utc);

    private static readonly SlaPolicy Standard = new(1, "Standard", 10, SlaConditions.Any, null,
        FirstResponseMinutes: 60, NextResponseMinutes: 120, ResolutionMinutes: 480, WarningPercent: 75, ReassignAfterMinutes: 30);

    private static Ticket NewTicket(DateTimeOffset at)
    {
        var ticket = new Ticket { Id = 7, Subject = "s", Status = "" };
        Rules.Start(Definition, ticket, LifecycleEvent.CreatedByCustomer, at);
        return ticket;
    }

    private static SlaTarget Target(Ticket ticket, SlaTargetKind kind, int cycle = 1) =>
        ticket.SlaTargets.Single(t => t.Kind == kind && t.Cycle == cycle);

    private static void Reconcile(Ticket ticket, DateTimeOffset now, SlaPolicy? policy = null, BusinessClock? clock = null) =>
        SlaPlanner.Reconcile(ticket, policy ?? Standard, clock ?? AlwaysOpen, ticket.SlaTargets, now);

    [Fact]
    public void NewTicket_StartsFirstResponseAndResolution_AndPlansTheWarningFirst()
    {
        var ticket = NewTicket(T0);

        Reconcile(ticket, T0);

        var first = Target(ticket, SlaTargetKind.FirstResponse);
        Assert.Equal(T0.AddMinutes(60), first.DueAt);
        Assert.Equal(T0.AddMinutes(45), first.WarnAt);
        Assert.Equal(T0.AddMinutes(480), Target(ticket, SlaTargetKind.Resolution).DueAt);
        Assert.DoesNotContain(ticket.SlaTargets, t => t.Kind == SlaTargetKind.NextResponse);
        Assert.Equal(T0.AddMinutes(45), ticket.SlaDueAt);
        Assert.Equal(SlaState.Ok, first.StateAt(T0.AddMinutes(10)));
        Assert.Equal(SlaState.Warning, first.StateAt(T0.AddMinutes(50)));
        Assert.Equal(SlaState.Breached, first.StateAt(T0.AddMinutes(61)));
    }

    [Fact]
    public void NoPolicy_PlansNothing()
    {
        var ticket = NewTicket(T0);

        SlaPlanner.Reconcile(ticket, null, AlwaysOpen, ticket.SlaTargets, T0);

        Assert.Empty(ticket.SlaTargets);
        Assert.Null(ticket.SlaDueAt);
    }

    [Fact]
    public void AgentReply_AchievesFirstResponse_AndWaitingPausesResolution()
    {
        var ticket = NewTicket(T0);
        Reconcile(ticket, T0);

        Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, T0.AddMinutes(20));
        Reconcile(ticket, T0.AddMinutes(20));

        var first = Target(ticket, SlaTargetKind.FirstResponse);
        Assert.Equal(T0.AddMinutes(20), first.AchievedAt);
        Assert.True(first.Completed);
        Assert.Equal(0, first.OverdueMinutes);
        var resolution = Target(ticket, SlaTargetKind.Resolution);
        Assert.Equal(SlaState.Paused, resolution.StateAt(T0.AddMinutes(20)));
        Assert.Equal(TimeSpan.FromMinutes(20), resolution.Elapsed);
        Assert.Null(resolution.DueAt);
        Assert.Null(ticket.SlaDueAt);
    }

    [Fact]
    public void WaitingCategories_PauseTheClock_AndReopenResumesWithTheTimeLeft()
    {
        var ticket = NewTicket(T0);
        Reconcile(ticket, T0);

        Rules.SetStatus(Definition, ticket, "on_hold", null, T0.AddMinutes(30));
        Reconcile(ticket, T0.AddMinutes(30));
        Assert.Equal(SlaState.Paused, Target(ticket, SlaTargetKind.FirstResponse).StateAt(T0.AddHours(5)));

        Rules.Apply(Definition, ticket, LifecycleEvent.CustomerReplied, T0.AddMinutes(90));
        Reconcile(ticket, T0.AddMinutes(90));

        var first = Target(ticket, SlaTargetKind.FirstResponse);
        Assert.Equal(TimeSpan.FromMinutes(30), first.Elapsed);
        Assert.Equal(T0.AddMinutes(120), first.DueAt); // 30 counted + 30 left after resuming at +90
        Assert.Equal(T0.AddMinutes(105), first.WarnAt);
    }

    [Fact]
    public void Breach_IsDueOnce_ThenReassignAfterTheDelay()
    {
        var ticket = NewTicket(T0);
        Reconcile(ticket, T0);

        var atWarning = SlaPlanner.DueSteps(ticket.SlaTargets, Standard, T0.AddMinutes(46));
        Assert.Equal(SlaStepKind.Warning, Assert.Single(atWarning).Kind);
        atWarning[0].Target.WarnedAt = T0.AddMinutes(46);
        Assert.Empty(SlaPlanner.DueSteps(ticket.SlaTargets, Standard, T0.AddMinutes(50)));

        var atBreach = SlaPlanner.DueSteps(ticket.SlaTargets, Standard, T0.AddMinutes(61));
        Assert.Equal(SlaStepKind.Breach, Assert.Single(atBreach).Kind);
        atBreach[0].Target.BreachedAt = T0.AddMinutes(61);
        Assert.Empty(SlaPlanner.DueSteps(ticket.SlaTargets, Standard, T0.AddMinutes(62)));
        Assert.Equal(T0.AddMinutes(91), SlaPlanner.NextStepAt(ticket.SlaTargets, Standard));

        var atReassign = SlaPlanner.DueSteps(ticket.SlaTargets, Standard, T0.AddMinutes(91));
        Assert.Equal(SlaStepKind.Reassign, Assert.Single(atReassign).Kind);
        atReassign[0].Target.ReassignedAt = T0.AddMinutes(91);
        Assert.DoesNotContain(SlaPlanner.DueSteps(ticket.SlaTargets, Standard, T0.AddDays(1)), s => s.Target.Kind == SlaTargetKind.FirstResponse);
    }

    [Fact]
    public void BreachWithoutWarning_WhenBothAreDueAtOnce_OnlyBreaches()
    {
        var ticket = NewTicket(T0);
        Reconcile(ticket, T0);

        var steps = SlaPlanner.DueSteps(ticket.SlaTargets, Standard, T0.AddMinutes(65)).Where(s => s.Target.Kind == SlaTargetKind.FirstResponse);

        Assert.Equal(SlaStepKind.Breach, Assert.Single(steps).Kind);
    }

    [Fact]
    public void LateAnswer_RecordsByHowMuch()
    {
        var ticket = NewTicket(T0);
        Reconcile(ticket, T0);

        Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, T0.AddMinutes(75));
        Reconcile(ticket, T0.AddMinutes(75));

        var first = Target(ticket, SlaTargetKind.FirstResponse);
        Assert.Equal(15, first.OverdueMinutes);
        Assert.Equal(SlaState.Achieved, first.StateAt(T0.AddMinutes(80)));
    }

    [Fact]
    public void ChangingThePolicy_ReplansWithTheTimeAlreadyCounted()
    {
        var ticket = NewTicket(T0);
        Reconcile(ticket, T0);
        var urgent = Standard with { Id = 2, Name = "Urgent", FirstResponseMinutes = 40, ResolutionMinutes = 120 };

        Reconcile(ticket, T0.AddMinutes(10), urgent);

        var first = Target(ticket, SlaTargetKind.FirstResponse);
        Assert.Equal(2, first.PolicyId);
        Assert.Equal(40, first.TargetMinutes);
        Assert.Equal(T0.AddMinutes(40), first.DueAt);
        Assert.Equal(T0.AddMinutes(120), Target(ticket, SlaTargetKind.Resolution).DueAt);
    }

    [Fact]
    public void APolicyWithoutATarget_CancelsIt()
    {
        var ticket = NewTicket(T0);
        Reconcile(ticket, T0);

        Reconcile(ticket, T0.AddMinutes(5), Standard with { Id = 3, ResolutionMinutes = null });

        Assert.True(Target(ticket, SlaTargetKind.Resolution).Cancelled);
        Assert.False(Target(ticket, SlaTargetKind.FirstResponse).Cancelled);
    }

    [Fact]
    public void EachUnansweredCustomerMessage_AfterTheFirstResponse_StartsANextResponseCycle()
    {
        var ticket = NewTicket(T0);
        Reconcile(ticket, T0);
        Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, T0.AddMinutes(10));
        Reconcile(ticket, T0.AddMinutes(10));

        Rules.Apply(Definition, ticket, LifecycleEvent.CustomerReplied, T0.AddMinutes(100));
        Reconcile(ticket, T0.AddMinutes(100));
        var cycle1 = Target(ticket, SlaTargetKind.NextResponse, 1);
        Assert.Equal(T0.AddMinutes(220), cycle1.DueAt);

        Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, T0.AddMinutes(130));
        Reconcile(ticket, T0.AddMinutes(130));
        Assert.Equal(T0.AddMinutes(130), cycle1.AchievedAt);

        Rules.Apply(Definition, ticket, LifecycleEvent.CustomerReplied, T0.AddMinutes(200));
        Reconcile(ticket, T0.AddMinutes(200));
        Reconcile(ticket, T0.AddMinutes(201)); // idempotent: still one new cycle
        Assert.Equal(2, ticket.SlaTargets.Count(t => t.Kind == SlaTargetKind.NextResponse));
        Assert.Equal(T0.AddMinutes(320), Target(ticket, SlaTargetKind.NextResponse, 2).DueAt);
    }

    [Fact]
    public void Resolution_IsMetWhenResolved_ResumesOnReopen_AndIsFinalWhenClosed()
    {
        var ticket = NewTicket(T0);
        Reconcile(ticket, T0);

        Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, T0.AddMinutes(60), "resolved");
        Reconcile(ticket, T0.AddMinutes(60));
        var resolution = Target(ticket, SlaTargetKind.Resolution);
        Assert.Equal(T0.AddMinutes(60), resolution.AchievedAt);
        Assert.False(resolution.Completed);

        Rules.Apply(Definition, ticket, LifecycleEvent.CustomerReplied, T0.AddMinutes(300));
        Reconcile(ticket, T0.AddMinutes(300));
        Assert.Null(resolution.AchievedAt);
        Assert.Equal(T0.AddMinutes(300 + 420), resolution.DueAt);

        Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, T0.AddMinutes(320), "resolved");
        Rules.Apply(Definition, ticket, LifecycleEvent.CustomerConfirmed, T0.AddMinutes(400));
        Reconcile(ticket, T0.AddMinutes(400));
        Assert.Equal(T0.AddMinutes(320), resolution.AchievedAt);
        Assert.True(resolution.Completed);
        Assert.Equal(TimeSpan.FromMinutes(80), resolution.Elapsed);
    }

    [Fact]
    public void BusinessHours_DueTimeSkipsTheWeekend()
    {
        var weekdays = new BusinessCalendar("UTC",
            [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
                .Select(d => new WeeklyHours(d, new TimeOnly(9, 0), new TimeOnly(17, 0)))],
            []);
        var clock = new BusinessClock(weekdays, TimeZoneInfo.Utc);
        var friday = new DateTimeOffset(2026, 3, 6, 16, 30, 0, TimeSpan.Zero);
        var ticket = NewTicket(friday);

        Reconcile(ticket, friday, clock: clock);

        Assert.Equal(new DateTimeOffset(2026, 3, 9, 9, 30, 0, TimeSpan.Zero), Target(ticket, SlaTargetKind.FirstResponse).DueAt);
    }
}
