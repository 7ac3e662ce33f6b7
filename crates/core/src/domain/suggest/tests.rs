//! The ranking's unit tests: paths, ties, activity, topic and field peers, the baselines.

use super::*;

const NOW: i32 = 2026;

fn tie(to: i64, shared_works: u32) -> Tie {
    Tie { to, shared_works, last_year: NOW }
}

/// Records with their ties (both directions) and one topic each.
fn hood(edges: &[(i64, i64, u32)], topics: &[(i64, i64)]) -> Neighbourhood {
    let mut people: HashMap<i64, Person> = HashMap::new();
    for &(a, b, n) in edges {
        people.entry(a).or_default().ties.push(tie(b, n));
        people.entry(b).or_default().ties.push(tie(a, n));
    }
    for &(who, topic) in topics {
        people.entry(who).or_default().topics.push((topic, 3));
    }
    for person in people.values_mut() {
        person.degree = person.ties.len() as u32;
        person.last_year = Some(NOW);
        person.ties.sort_by(|x, y| y.shared_works.cmp(&x.shared_works).then(x.to.cmp(&y.to)));
    }
    Neighbourhood { people, ..Neighbourhood::default() }
}

fn ids(ranked: &[Suggestion]) -> Vec<i64> {
    ranked.iter().map(|s| s.candidate).collect()
}

#[test]
fn a_two_hop_candidate_outranks_a_three_hop_one_with_equal_topics() {
    // 1 - 2 - 3 (two hops from 1) and 1 - 2 - 4 - 5 (three hops from 1); 3 and 5 share topic 9.
    let h = hood(&[(1, 2, 2), (2, 3, 2), (2, 4, 2), (4, 5, 2)], &[(1, 9), (3, 9), (5, 9)]);
    let ranked = rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10);
    let (three, five) = (ranked.iter().position(|s| s.candidate == 3), ranked.iter().position(|s| s.candidate == 5));
    assert!(three.is_some() && five.is_some(), "{ranked:?}");
    assert!(three < five, "{ranked:?}");
    assert_eq!((ranked[three.unwrap_or(0)].hops, ranked[five.unwrap_or(0)].hops), (2, 3));
    assert_eq!(ranked[three.unwrap_or(0)].via, vec![2]);
    assert_eq!(ranked[three.unwrap_or(0)].topics, vec![9]);
}

#[test]
fn an_existing_co_author_or_the_record_itself_is_never_suggested() {
    // 1's co-authors 2 and 3 are also co-authors of each other: each is 2 hops away too.
    let h = hood(&[(1, 2, 1), (1, 3, 1), (2, 3, 5), (3, 4, 1)], &[(1, 7), (2, 7), (3, 7), (4, 7)]);
    for scorer in [Scorer::Ours, Scorer::CommonNeighbours, Scorer::AdamicAdar, Scorer::TopicOverlap] {
        let found = ids(&rank(&h, 1, NOW, scorer, &HashSet::new(), 10));
        assert!(!found.contains(&1) && !found.contains(&2) && !found.contains(&3), "{scorer:?}: {found:?}");
    }
    assert_eq!(ids(&rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10)), vec![4]);
}

#[test]
fn a_dismissed_suggestion_stays_hidden() {
    let h = hood(&[(1, 2, 1), (2, 3, 1), (2, 4, 1)], &[]);
    let kept = rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10);
    assert_eq!(ids(&kept), vec![3, 4]);
    let dismissed: HashSet<i64> = [3].into();
    assert_eq!(visible(&kept, &dismissed).map(|s| s.candidate).collect::<Vec<_>>(), vec![4]);
    // A refresh ranks without it too, so it does not come back.
    assert_eq!(ids(&rank(&h, 1, NOW, Scorer::Ours, &dismissed, 10)), vec![4]);
}

#[test]
fn more_shared_works_and_recent_ties_weigh_more() {
    // 1-2 strong and recent, 1-3 one old work; 4 is reached through 2, 5 through 3.
    let mut h = hood(&[(1, 2, 6), (1, 3, 1), (2, 4, 1), (3, 5, 1)], &[]);
    for tie in h.people.values_mut().flat_map(|p| p.ties.iter_mut()) {
        if (tie.to == 3) || (tie.to == 1 && tie.shared_works == 1) {
            tie.last_year = 2012;
        }
    }
    assert_eq!(ids(&rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10)), vec![4, 5]);
}

#[test]
fn a_candidate_inactive_for_years_ranks_below_an_active_one() {
    let mut h = hood(&[(1, 2, 1), (2, 3, 1), (2, 4, 1)], &[]);
    if let Some(p) = h.people.get_mut(&3) {
        p.last_year = Some(2010);
    }
    assert_eq!(ids(&rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10)), vec![4, 3]);
}

#[test]
fn topic_peers_the_graph_does_not_reach_are_candidates_by_topic() {
    let mut h = hood(&[(1, 2, 1)], &[(1, 5), (8, 5), (9, 6)]);
    h.peers.insert(1, vec![8, 9]);
    let ranked = rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10);
    assert_eq!(ids(&ranked), vec![8], "9 shares no topic");
    assert_eq!((ranked[0].hops, ranked[0].topics.clone()), (0, vec![5]));
    assert!(rank(&h, 1, NOW, Scorer::CommonNeighbours, &HashSet::new(), 10).is_empty());
    // 9's profile kept other topics; as a peer on 5 it shares 5 after all.
    if let Some(nine) = h.people.get_mut(&9) {
        add_topic(nine, 5, 2);
        add_topic(nine, 5, 7);
        assert_eq!(nine.topics, vec![(6, 3), (5, 2)], "added once");
    }
    assert_eq!(ids(&rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10)).len(), 2);
}

#[test]
fn the_baselines_count_common_neighbours_and_damp_hubs() {
    // 4 shares co-authors 2 and 3 with 1; 5 shares only 2. Hub 3 has many co-authors.
    let mut edges = vec![(1, 2, 1), (1, 3, 1), (2, 4, 1), (3, 4, 1), (2, 5, 1), (1, 6, 1), (6, 7, 1)];
    edges.extend((100..130).map(|i| (3, i, 1)));
    let h = hood(&edges, &[]);
    let common = rank(&h, 1, NOW, Scorer::CommonNeighbours, &HashSet::new(), 3);
    assert_eq!((common[0].candidate, common[0].score), (4, 2.0));
    let aa = rank(&h, 1, NOW, Scorer::AdamicAdar, &HashSet::new(), 40);
    let score = |c: i64| aa.iter().find(|s| s.candidate == c).map_or(0.0, |s| s.score);
    assert!(score(5) > score(100), "a tie through a small group counts more than through a hub");
}

#[test]
fn topic_overlap_is_a_cosine() {
    assert!((topic_overlap(&[(1, 2), (2, 2)], &[(1, 5), (2, 5)]) - 1.0).abs() < 1e-9);
    assert_eq!(topic_overlap(&[(1, 2)], &[(2, 2)]), 0.0);
    assert_eq!(topic_overlap(&[], &[(2, 2)]), 0.0);
}

/// Topic 5 ("Machine Learning", in fields "Computer Science" and "Statistics"), topic 6 ("Neural
/// and Evolutionary Computing", in "Computer Science") and topic 7 (in "Physics"), each field
/// led by whoever has works on its topics.
fn with_fields(mut h: Neighbourhood) -> Neighbourhood {
    h.fields.add_topic(5, vec!["Computer Science".to_owned(), "Statistics".to_owned()]);
    h.fields.add_topic(6, vec!["Computer Science".to_owned()]);
    h.fields.add_topic(7, vec!["Physics".to_owned()]);
    let leading: Vec<(i64, i64, u32)> =
        h.people.iter().flat_map(|(id, p)| p.topics.iter().map(|(t, n)| (*t, *id, *n))).collect();
    h.fields.set_peers(leading);
    h
}

#[test]
fn a_group_alone_on_its_topic_is_offered_researchers_of_its_field() {
    // 1, 2 and 3 wrote together on topic 5 and are everyone on it; 8 works on topic 6, in the
    // same field; 9 on topic 7, in another.
    let mut h = with_fields(hood(&[(1, 2, 2), (1, 3, 1), (2, 3, 1)], &[(1, 5), (2, 5), (3, 5), (8, 6), (9, 7)]));
    h.peers.insert(1, vec![2, 3]);
    let ranked = rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10);
    assert_eq!(ids(&ranked), vec![8], "the physicist shares no field: {ranked:?}");
    assert_eq!(ranked[0].hops, 0);
    assert_eq!(ranked[0].field.as_deref(), Some("Computer Science"));
    assert_eq!(ranked[0].topics, vec![6], "the candidate's topic in that field");
    for scorer in [Scorer::CommonNeighbours, Scorer::AdamicAdar, Scorer::TopicOverlap] {
        assert!(rank(&h, 1, NOW, scorer, &HashSet::new(), 10).is_empty(), "{scorer:?} is left as measured");
    }
}

#[test]
fn field_researchers_only_fill_what_paths_and_topics_leave_and_never_an_excluded_one() {
    // 1 - 2 - 3 gives one 2-hop candidate (3); 8 and 10 work on topic 6 in the same field.
    let h = with_fields(hood(&[(1, 2, 1), (2, 3, 1)], &[(1, 5), (3, 5), (8, 6), (10, 6)]));
    let ranked = rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10);
    assert_eq!(ids(&ranked)[0], 3, "the path candidate stays first: {ranked:?}");
    assert_eq!(ids(&ranked)[1..].to_vec(), vec![8, 10]);
    assert_eq!(ranked[0].field, None);
    assert_eq!(ids(&rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 2)), vec![3, 8], "up to the limit");
    let dismissed: HashSet<i64> = [8].into();
    assert_eq!(ids(&rank(&h, 1, NOW, Scorer::Ours, &dismissed, 10)), vec![3, 10]);
    // A field researcher who shares one of the record's topics says so instead.
    let h = with_fields(hood(&[(1, 2, 1)], &[(1, 5), (1, 6), (8, 6)]));
    let ranked = rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10);
    assert_eq!((ids(&ranked), ranked[0].field.clone(), ranked[0].topics.clone()), (vec![8], None, vec![6]));
}

#[test]
fn a_field_keeps_the_researchers_with_most_works_on_its_topics() {
    let mut fields = Fields::default();
    fields.add_topic(5, vec!["Computer Science".to_owned()]);
    fields.add_topic(6, vec!["Computer Science".to_owned()]);
    fields.add_topic(7, vec!["Physics".to_owned()]);
    let mut leading = vec![(5, 1, 3), (6, 1, 3), (6, 2, 5), (7, 3, 9)];
    leading.extend((100..140).map(|a| (5, a, 1)));
    fields.set_peers(leading);
    let cs = fields.followed(&[(5, 1)]);
    assert_eq!(cs.len(), 1);
    assert_eq!(fields.name(cs[0]), "Computer Science");
    let peers = fields.peers_of(cs[0]);
    assert_eq!(peers.len(), PEERS_PER_FIELD);
    assert_eq!(&peers[..2], &[1, 2], "3 + 3 works on two topics before 5 on one");
    assert!(!peers.contains(&3));
    assert_eq!(fields.topics_in(&cs), vec![5, 6]);
}

#[test]
fn researchers_on_the_records_other_topics_fill_before_its_field() {
    // 1's topics: 5 and 6 (main), then 7; 8 works on 7, 9 on topic 10, in 5's and 6's field.
    let mut h = with_fields(hood(&[(1, 2, 1)], &[(8, 7), (9, 10)]));
    if let Some(one) = h.people.get_mut(&1) {
        one.topics = vec![(5, 4), (6, 3), (7, 1)];
    }
    h.fields.add_topic(10, vec!["Computer Science".to_owned()]);
    h.on_topic.insert(7, vec![1, 8]);
    h.fields.set_peers([(10, 9, 1), (5, 1, 4)]);
    let ranked = rank(&h, 1, NOW, Scorer::Ours, &HashSet::new(), 10);
    assert_eq!(ids(&ranked), vec![8, 9], "{ranked:?}");
    assert_eq!((ranked[0].topics.clone(), ranked[0].field.clone()), (vec![7], None), "shares topic 7");
    assert_eq!((ranked[1].topics.clone(), ranked[1].field.as_deref()), (vec![10], Some("Computer Science")));
}
