using Freshet.Metadata.Controller;

namespace Freshet.Metadata.Tests.Controller;

public class BrokerSessionsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(9);

    [Fact]
    public void A_heartbeat_that_arrived_while_the_queue_was_busy_keeps_the_session_alive()
    {
        var clock = new ManualClock();
        var sessions = new BrokerSessions(clock, Timeout);
        var session = sessions.Start(brokerId: 1, registrationOffset: 10);
        clock.Advance(TimeSpan.FromSeconds(8));
        sessions.NoteArrival(brokerId: 1, epoch: 10);
        clock.Advance(TimeSpan.FromSeconds(8)); // a long operation held the queue all this time

        Assert.True(sessions.IsExpired(session));
        sessions.FoldArrivals(_ => 10);

        Assert.False(sessions.IsExpired(session));
        Assert.Equal(TimeSpan.FromSeconds(1), sessions.TimeLeft(session));
    }

    [Fact]
    public void A_heartbeat_of_an_earlier_incarnation_keeps_nothing_alive()
    {
        var clock = new ManualClock();
        var sessions = new BrokerSessions(clock, Timeout);
        var session = sessions.Start(brokerId: 1, registrationOffset: 10);
        clock.Advance(TimeSpan.FromSeconds(8));
        sessions.NoteArrival(brokerId: 1, epoch: 4);
        clock.Advance(TimeSpan.FromSeconds(8));

        sessions.FoldArrivals(_ => 10);

        Assert.True(sessions.IsExpired(session));
    }

    [Fact]
    public void An_arrival_older_than_the_last_contact_does_not_move_it_back()
    {
        var clock = new ManualClock();
        var sessions = new BrokerSessions(clock, Timeout);
        sessions.NoteArrival(brokerId: 1, epoch: 10);
        clock.Advance(TimeSpan.FromSeconds(5));
        var session = sessions.Start(brokerId: 1, registrationOffset: 10);

        sessions.FoldArrivals(_ => 10);

        Assert.Equal(Timeout, sessions.TimeLeft(session));
    }
}
