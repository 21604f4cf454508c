package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DsackUndoTest {

    @Test
    void declaresTheEpisodeSpuriousOnlyOnceEveryRetransmissionWasReportedDuplicate() {
        DsackUndo undo = new DsackUndo();
        undo.start();
        undo.retransmitted(1000, 2000);
        undo.retransmitted(5000, 6000);

        assertThat(undo.duplicateReported(1000, 2000)).isFalse();
        assertThat(undo.duplicateReported(5000, 6000)).isTrue();
    }

    @Test
    void ignoresDuplicatesOfDataThatWasNeverRetransmitted() {
        DsackUndo undo = new DsackUndo();
        undo.start();
        undo.retransmitted(1000, 2000);

        assertThat(undo.duplicateReported(3000, 4000)).isFalse(); // the network duplicated an original
        assertThat(undo.duplicateReported(1000, 2000)).isTrue();
    }

    @Test
    void aRangeRetransmittedTwiceNeedsTwoReports() {
        DsackUndo undo = new DsackUndo();
        undo.start();
        undo.retransmitted(1000, 2000);
        undo.retransmitted(1000, 2000);

        assertThat(undo.duplicateReported(1000, 2000)).isFalse();
        assertThat(undo.duplicateReported(1000, 2000)).isTrue();
    }

    @Test
    void aPartialReportLeavesTheRestOutstanding() {
        DsackUndo undo = new DsackUndo();
        undo.start();
        undo.retransmitted(1000, 3000);

        assertThat(undo.duplicateReported(1000, 2000)).isFalse();
        assertThat(undo.duplicateReported(2000, 3000)).isTrue();
    }

    @Test
    void neverUndoesAnEpisodeCancelledByATimeoutOrWithoutRetransmissions() {
        DsackUndo undo = new DsackUndo();
        assertThat(undo.duplicateReported(1000, 2000)).as("no episode").isFalse();
        undo.start();
        assertThat(undo.duplicateReported(1000, 2000)).as("nothing retransmitted").isFalse();
        undo.retransmitted(1000, 2000);
        undo.cancel();

        assertThat(undo.duplicateReported(1000, 2000)).isFalse();
    }

    @Test
    void worksAcrossTheSequenceNumberWrap() {
        DsackUndo undo = new DsackUndo();
        undo.start();
        undo.retransmitted(-500, 500);

        assertThat(undo.duplicateReported(-500, 500)).isTrue();
    }
}
