package dev.tandem.ha.examples.counter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.apps.EntityView;
import dev.tandem.ha.api.apps.ManagedApplications;
import dev.tandem.ha.api.store.StoreException;

/** The counting logic against an in-memory ManagedApplications that can refuse, fail, or not be writable. */
class CounterTest {

    /** Entities by id with their sensors; writes recorded; failures on demand. */
    static class Apps implements ManagedApplications {
        final Map<String, EntityView> entities = new LinkedHashMap<>();
        final List<String> writes = new ArrayList<>();
        boolean writable = true;
        RuntimeException refuse;
        StoreException fail;

        void add(String id, String type, Map<String, Object> sensors) {
            entities.put(id, new EntityView(id, id, type, "app", null, List.of(), Map.of(), sensors));
        }

        @Override
        public boolean readable() {
            return true;
        }

        @Override
        public List<EntityView> applications() {
            throw new UnsupportedOperationException("the counter lists no applications");
        }

        @Override
        public List<EntityView> entities(String application) {
            throw new UnsupportedOperationException("the counter lists no applications");
        }

        @Override
        public List<dev.tandem.ha.api.apps.EffectorDefinition> effectors(String entityId) {
            throw new UnsupportedOperationException("the counter invokes no effectors");
        }

        @Override
        public dev.tandem.ha.api.apps.TaskView invoke(String entityId, String effector, Map<String, Object> parameters,
                java.time.Duration wait) {
            throw new UnsupportedOperationException("the counter invokes no effectors");
        }

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public List<EntityView> entitiesOfType(String typeId) {
            return entities.values().stream().filter(e -> e.typeId().equals(typeId)).toList();
        }

        @Override
        public Optional<EntityView> entity(String entityId) {
            return Optional.ofNullable(entities.get(entityId));
        }

        @Override
        public void setSensor(String entityId, String sensor, Object value) throws StoreException {
            if (refuse != null) {
                throw refuse;
            }
            if (fail != null) {
                throw fail;
            }
            EntityView e = entities.get(entityId);
            if (e == null) {
                throw new NoSuchElementException(entityId);
            }
            Map<String, Object> sensors = new LinkedHashMap<>(e.sensors());
            sensors.put(sensor, value);
            entities.put(entityId, new EntityView(e.id(), e.name(), e.typeId(), e.applicationId(), e.parentId(),
                    e.childIds(), e.config(), sensors));
            writes.add(entityId + "." + sensor + "=" + value);
        }

        Object count(String id) {
            return entities.get(id).sensors().get(CounterType.SENSOR);
        }
    }

    @Test
    void eachRoundAddsOneToEveryCounterFromItsCurrentValue() {
        Apps apps = new Apps();
        apps.add("a", CounterType.TYPE_ID, Map.of("count", 0));
        apps.add("b", CounterType.TYPE_ID, Map.of("count", 41)); // e.g. the last value acknowledged by the old master
        apps.add("c", "org.apache.brooklyn.entity.stock.BasicEntity", Map.of("count", 5));
        Counter counter = new Counter(apps);

        assertThat(counter.countOnce()).isEqualTo(2);
        assertThat(counter.countOnce()).isEqualTo(2);

        assertThat(apps.count("a")).isEqualTo(2L);
        assertThat(apps.count("b")).isEqualTo(43L);
        assertThat(apps.count("c")).as("not a Counter").isEqualTo(5);
        assertThat(apps.writes).containsExactly("a.count=1", "b.count=42", "a.count=2", "b.count=43");
    }

    @Test
    void nothingIsReadOrWrittenWhileTheNodeDoesNotAcceptWrites() {
        Apps apps = new Apps();
        apps.add("a", CounterType.TYPE_ID, Map.of("count", 3));
        apps.writable = false; // e.g. a new master still catching up with the journal
        Counter counter = new Counter(apps);

        assertThat(counter.countOnce()).isZero();
        assertThat(apps.writes).isEmpty();

        apps.writable = true;
        assertThat(counter.countOnce()).isEqualTo(1);
        assertThat(apps.count("a")).isEqualTo(4L);
    }

    @Test
    void aRefusedWriteEndsTheRoundAndAFailedOneIsRetriedWithTheSameValue() {
        Apps apps = new Apps();
        apps.add("a", CounterType.TYPE_ID, Map.of("count", 10));
        apps.add("b", CounterType.TYPE_ID, Map.of("count", 20));
        Counter counter = new Counter(apps);

        apps.refuse = new IllegalStateException("not the acting master");
        assertThat(counter.countOnce()).isZero();
        apps.refuse = null;
        apps.fail = new StoreException("the store did not take the write");
        assertThat(counter.countOnce()).isZero();
        assertThat(apps.writes).isEmpty();

        apps.fail = null;
        assertThat(counter.countOnce()).isEqualTo(2);
        assertThat(apps.writes).containsExactly("a.count=11", "b.count=21");
    }

    @Test
    void aCounterDeletedDuringTheRoundIsSkipped() {
        Apps apps = new Apps() {
            @Override
            public List<EntityView> entitiesOfType(String typeId) {
                List<EntityView> listed = super.entitiesOfType(typeId);
                entities.remove("a"); // deleted right after the listing
                return listed;
            }
        };
        apps.add("a", CounterType.TYPE_ID, Map.of("count", 1));
        apps.add("b", CounterType.TYPE_ID, Map.of());
        assertThat(new Counter(apps).countOnce()).isEqualTo(1);
        assertThat(apps.writes).containsExactly("b.count=1");
    }

    @Test
    void aValueThatIsNotANumberCountsAsZero() {
        assertThat(Counter.valueOf(7)).isEqualTo(7);
        assertThat(Counter.valueOf(7.9)).isEqualTo(7);
        assertThat(Counter.valueOf(" 12 ")).isEqualTo(12);
        assertThat(Counter.valueOf("twelve")).isZero();
        assertThat(Counter.valueOf(null)).isZero();
        assertThat(Counter.valueOf(List.of(1))).isZero();
    }
}
