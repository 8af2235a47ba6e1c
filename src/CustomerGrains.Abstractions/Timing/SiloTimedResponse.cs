using System.Diagnostics.CodeAnalysis;
using Orleans.Serialization.Invocation;

namespace PerfReference.CustomerGrains.Timing;

/// <summary>
/// A grain's answer with the silo's account of the call wrapped around it: how long the call waited in the silo
/// before it ran (<see cref="Waited"/>) and how long it ran (<see cref="Ran"/>). The silo's incoming call filter wraps
/// the answer of a call whose caller asked (<see cref="GrainCallArrival"/>); the caller's outgoing call filter takes
/// the figures and unwraps it before anyone reads the result.
/// </summary>
/// <remarks>
/// The answer is the only way back from a grain call that Orleans lets a filter use: the request context flows from
/// caller to grain and not back (dotnet/orleans#746, closed as won't fix; the client leaves a response's request
/// context unread), while <see cref="IGrainCallContext.Response"/> is the filters' to set on the silo and to read on the
/// caller. Unwrapped or not, it answers as the response it carries, so a caller without the filter still gets its result.
/// </remarks>
[GenerateSerializer, Alias("PerfReference.SiloTimedResponse")]
public sealed class SiloTimedResponse : Response
{
    /// <summary>The grain's own answer (a result or an exception).</summary>
    [Id(0)]
    public Response Answer { get; init; } = Completed;

    /// <summary>From the message's arrival at the silo to the call's start.</summary>
    [Id(1)]
    public TimeSpan Waited { get; init; }

    /// <summary>From the call's start to its end on the silo: the grain's own execution, its awaits included.</summary>
    [Id(2)]
    public TimeSpan Ran { get; init; }

    public override object? Result { get => Answer.Result; set => Answer.Result = value; }

    public override Exception? Exception { get => Answer.Exception; set => Answer.Exception = value; }

    public override Type? GetSimpleResultType() => Answer.GetSimpleResultType();

    [return: MaybeNull]
    public override T GetResult<T>() => Answer.GetResult<T>();

    public override void Dispose() => Answer.Dispose();

    public override string ToString() => Answer.ToString();
}
