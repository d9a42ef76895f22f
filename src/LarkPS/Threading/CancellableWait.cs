using System;
using System.Threading;
using System.Threading.Tasks;

namespace LarkPS.Threading;

/// <summary>Waiting on a shared task with one caller's cancellation, without cancelling the task for the others.</summary>
internal static class CancellableWait
{
    /// <summary>Awaits <paramref name="task"/>, giving up (OperationCanceledException) when <paramref name="cancellationToken"/> fires.</summary>
    /// <remarks>The registration is disposed as soon as the wait ends, so long pipelines do not pile up callbacks.</remarks>
    public static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled || task.IsCompleted)
        {
            return await task.ConfigureAwait(false);
        }

        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
        {
            if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
            {
                // Observe the abandoned task's outcome so a later failure is not reported as unobserved.
                _ = task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw new OperationCanceledException(cancellationToken);
            }
        }

        return await task.ConfigureAwait(false);
    }
}
