using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Cli.Devices;

/// <summary>
/// The steps a multi-step change has done, each with the step that takes it back, so a change that
/// fails midway is rolled back newest first and leaves nothing behind.
/// </summary>
public sealed class UndoLog
{
    private readonly Stack<(string What, Func<CancellationToken, Task> Undo)> _done = new();

    public void Done(string what, Func<CancellationToken, Task> undo) => _done.Push((what, undo));

    /// <summary>Undoes every step, newest first, trying all of them; returns what could not be undone, with why.</summary>
    public async Task<IReadOnlyList<string>> RollBackAsync(CancellationToken cancellationToken)
    {
        var leftBehind = new List<string>();
        while (_done.Count > 0)
        {
            var (what, undo) = _done.Pop();
            try
            {
                await undo(cancellationToken);
            }
            catch (Exception e)
            {
                leftBehind.Add(what + " (" + e.Message + ")");
            }
        }

        return leftBehind;
    }
}
