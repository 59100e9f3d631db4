import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deletes every record now on the given topics of a local broker (the log start moves to the
 * end), so that consumers do not work through a benchmark's millions of synthetic events the
 * next time the suite runs. Run by ./kairos bench with the broker's own jars:
 * java -cp '.stack/kafka/lib/*' stack/tools/DropBacklog.java BOOTSTRAP TOPIC...
 */
public class DropBacklog {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        List<String> topics = Arrays.asList(args).subList(1, args.length);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
                    description.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, RecordsToDelete> upTo = new HashMap<>();
            long dropped = 0;
            for (var end : admin.listOffsets(latest).all().get().entrySet()) {
                upTo.put(end.getKey(), RecordsToDelete.beforeOffset(end.getValue().offset()));
            }
            var lowWatermarks = admin.deleteRecords(upTo).lowWatermarks();
            for (var partition : lowWatermarks.entrySet()) {
                dropped += partition.getValue().get().lowWatermark();
            }
            System.out.println("dropped the records of " + String.join(" ", topics) + " (log start offsets now sum to " + dropped + ")");
        }
    }
}
